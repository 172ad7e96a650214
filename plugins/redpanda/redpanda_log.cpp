// SPDX-License-Identifier: Apache-2.0
// redpanda_log.cpp — finding Redpanda's fatal lines.
#include "redpanda_log.hpp"

#include <warden/validation.hpp>

#include <array>
#include <string_view>

namespace redpanda_plugin {
namespace {

constexpr std::size_t kMaxQuoteBytes = 400;

// Where each kind of fatal line's message begins (Redpanda's application.cc,
// seastar's app-template.cc, Redpanda's cli_parser.cc).
constexpr std::string_view kCrashLoop = "Crash loop detected.";
constexpr std::array<std::string_view, 5> kFatal = {
    "Failure during startup: ", kCrashLoop,
    "Could not initialize seastar: ", "Argument parse error: ", "Missing redpanda-cfg flag"};

// Every Redpanda process begins its log with the version line.
constexpr std::string_view kStarted = " - Redpanda v";

}  // namespace

// The crash-loop line says what to do about it ("manually remove file at
// path ..."), and the startup failure after it only that it happened: it
// wins within its process.
std::string newest_fatal_line(const std::vector<std::string> &lines) {
    std::string_view found;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        const std::string_view line = *it;
        if (line.find(kStarted) != std::string_view::npos) break;
        for (const std::string_view marker : kFatal) {
            const std::size_t at = line.find(marker);
            if (at == std::string_view::npos) continue;
            if (marker == kCrashLoop) return warden::printable(line.substr(at), kMaxQuoteBytes);
            if (found.empty()) found = line.substr(at);
        }
    }
    return warden::printable(found, kMaxQuoteBytes);
}

}  // namespace redpanda_plugin
