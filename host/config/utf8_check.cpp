// SPDX-License-Identifier: Apache-2.0
// host/config/utf8_check.cpp
#include "config/utf8_check.hpp"

#include <cstdio>
#include <string>

namespace warden::host {
namespace {

// The length of the well-formed sequence at `at`, or 0 when there is none
// (Unicode 15, table 3-7).
std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) -> unsigned {
        return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0x100u;
    };
    const unsigned lead = byte(0);
    if (lead < 0x80) return 1;
    unsigned low = 0x80, high = 0xbf;  // the range of the second byte
    std::size_t length = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) low = 0xa0;   // overlong below U+0800
        if (lead == 0xed) high = 0x9f;  // surrogates U+D800..U+DFFF
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) low = 0x90;   // overlong below U+10000
        if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
    } else {
        return 0;  // a continuation byte, C0, C1 (overlong) or F5..FF
    }
    if (byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
    return length;
}

}  // namespace

std::optional<ConfigProblem> find_non_utf8(std::string_view text) {
    int line = 1, column = 1;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequence_length(text, at);
        if (length == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[at]));
            return ConfigProblem{line, std::string("byte ") + hex + " at column " +
                                           std::to_string(column) +
                                           " is not UTF-8; save the file as UTF-8"};
        }
        if (text[at] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        at += length;
    }
    return std::nullopt;
}

}  // namespace warden::host
