// SPDX-License-Identifier: Apache-2.0
// host/app/logging.hpp — the host's log: one line per event on stderr, as
// text or as one JSON object per line.
#pragma once

#include <string>

namespace warden::host {

bool valid_log_level(const std::string &level);

/// Sends the default spdlog logger to stderr at `level` (one of
/// valid_log_level's), in `format`: "text" (time level message) or "json"
/// ({"time":...,"level":...,"message":...}).
void set_up_logging(const std::string &level, const std::string &format = "text");

}  // namespace warden::host
