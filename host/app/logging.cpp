// host/app/logging.cpp
#include "app/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace warden::host {

bool valid_log_level(const std::string &level) {
    return level == "trace" || level == "debug" || level == "info" || level == "warn" ||
           level == "error";
}

void set_up_logging(const std::string &level) {
    auto logger = spdlog::stderr_logger_mt("warden");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

}  // namespace warden::host
