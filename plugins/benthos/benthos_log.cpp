// SPDX-License-Identifier: Apache-2.0
// benthos_log.cpp — logfmt fields out of s6-log lines.
#include "benthos_log.hpp"

namespace benthos_plugin {
namespace {

// Reasons are one line a person reads; a runaway message is cut.
constexpr size_t kMaxMessage = 300;

bool starts_field(std::string_view line, size_t at) {
    return at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t';
}

}  // namespace

std::string logfmt_field(std::string_view line, std::string_view key) {
    const std::string needle = std::string(key) + "=";
    for (size_t at = line.find(needle); at != std::string_view::npos;
         at = line.find(needle, at + 1)) {
        if (!starts_field(line, at)) continue;
        size_t i = at + needle.size();
        std::string value;
        if (i < line.size() && line[i] == '"') {
            for (++i; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                value.push_back(line[i]);
            }
        } else {
            while (i < line.size() && line[i] != ' ') value.push_back(line[i++]);
        }
        if (value.size() > kMaxMessage) value = value.substr(0, kMaxMessage) + "...";
        return value;
    }
    return {};
}

// Benthos says this first when it starts: lines before it belong to an
// earlier process, whose errors say nothing about this one.
constexpr std::string_view kStartMessage = "Running main config from specified file";

std::string newest_error(const std::vector<std::string> &lines) {
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        const std::string level = logfmt_field(*it, "level");
        if (level == "error" || level == "fatal") return logfmt_field(*it, "msg");
        if (logfmt_field(*it, "msg") == kStartMessage) break;
    }
    return {};
}

}  // namespace benthos_plugin
