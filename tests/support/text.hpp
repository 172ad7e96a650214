// SPDX-License-Identifier: Apache-2.0
// tests/support/text.hpp — reading what a program printed.
#pragma once

#include <warden/plugin.h>
#include <warden/validation.hpp>

#include <string>

namespace warden::test {

/// How many times `needle` occurs in `text` (overlaps counted).
inline int occurrences(const std::string &text, const std::string &needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

/// The rest of the line of `text` where `needle` last occurs, from `needle`
/// on ("redpanda/broker: idle -> degraded: ..."); "" when it does not.
inline std::string last_line_from(const std::string &text, const std::string &needle) {
    const auto at = text.rfind(needle);
    if (at == std::string::npos) return {};
    return text.substr(at, text.find('\n', at) - at);
}

/// The plugin ABI this build speaks, as the host prints it ("1.3").
inline const std::string kAbi = abi_version_text(WARDEN_ABI_VERSION);

}  // namespace warden::test
