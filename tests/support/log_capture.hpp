// SPDX-License-Identifier: Apache-2.0
// tests/support/log_capture.hpp — what the host logged during one test.
//
// Replaces spdlog's default logger with one that keeps every line in memory
// (at trace level), and puts the previous logger back when destroyed.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace warden::test {

class LogCapture {
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    /// Every line so far, as "<level> <message>", e.g. "warning plugin ... skipped".
    std::vector<std::string> lines() const;

    /// How many lines contain `needle`.
    int count(const std::string &needle) const;

    /// All lines, one per line, for assertion messages.
    std::string text() const;

private:
    struct Sink;
    std::shared_ptr<Sink> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace warden::test
