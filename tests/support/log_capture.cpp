// SPDX-License-Identifier: Apache-2.0
// tests/support/log_capture.cpp
#include "log_capture.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace warden::test {

struct LogCapture::Sink : spdlog::sinks::base_sink<std::mutex> {
    std::vector<std::string> lines;

    std::vector<std::string> snapshot() {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines;
    }

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override {
        const auto level = spdlog::level::to_string_view(msg.level);
        lines.push_back(std::string(level.data(), level.size()) + " " +
                        std::string(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}
};

LogCapture::LogCapture() : sink_(std::make_shared<Sink>()), previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("warden-test", sink_);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() {
    spdlog::set_default_logger(previous_);
}

std::vector<std::string> LogCapture::lines() const {
    return sink_->snapshot();
}

int LogCapture::count(const std::string &needle) const {
    int n = 0;
    for (const auto &line : lines())
        if (line.find(needle) != std::string::npos) ++n;
    return n;
}

std::string LogCapture::text() const {
    std::string all;
    for (const auto &line : lines()) all += line + "\n";
    return all;
}

}  // namespace warden::test
