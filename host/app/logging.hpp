// host/app/logging.hpp — the host's log: one line per event on stderr.
#pragma once

#include <string>

namespace warden::host {

bool valid_log_level(const std::string &level);

/// Sends the default spdlog logger to stderr with the host's line format,
/// at `level` (one of valid_log_level's).
void set_up_logging(const std::string &level);

}  // namespace warden::host
