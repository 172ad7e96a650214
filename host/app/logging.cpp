// SPDX-License-Identifier: Apache-2.0
// host/app/logging.cpp
#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace warden::host {
namespace {

// %* in a pattern: the message as a JSON string, quotes and escapes included.
class JsonMessage : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg &msg, const std::tm &,
                spdlog::memory_buf_t &dest) override {
        const std::string text(msg.payload.data(), msg.payload.size());
        const std::string quoted =
            nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        dest.append(quoted.data(), quoted.data() + quoted.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessage>();
    }
};

}  // namespace

bool valid_log_level(const std::string &level) {
    return level == "trace" || level == "debug" || level == "info" || level == "warn" ||
           level == "error";
}

void set_up_logging(const std::string &level, const std::string &format) {
    auto logger = spdlog::get("warden");
    if (!logger) logger = spdlog::stderr_logger_mt("warden");
    if (format == "json") {
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<JsonMessage>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","message":%*})");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    }
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

}  // namespace warden::host
