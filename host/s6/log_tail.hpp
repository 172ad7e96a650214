// SPDX-License-Identifier: Apache-2.0
// host/s6/log_tail.hpp — the last lines of a log file, read from its end.
//
// For the service_log_read slot: s6-log's `current` may be a megabyte or
// more, and a worker asks for its last few lines, so only the end of the
// file is read, backwards in blocks, until enough lines or `max_bytes`.
#pragma once

#include "common/result.hpp"

#include <warden/plugin.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace warden::host {

inline constexpr std::size_t kLogTailMaxBytes = WARDEN_MAX_LOG_READ_BYTES;

/// The last `max_lines` lines of `file`, oldest first, without their
/// newlines. Reads at most `max_bytes` from the end: a line that begins
/// before that window is left out. A missing file has no lines; a last line
/// without a newline (being written) counts.
Result<std::vector<std::string>> read_last_lines(const std::filesystem::path &file,
                                                 std::size_t max_lines,
                                                 std::size_t max_bytes = kLogTailMaxBytes);

}  // namespace warden::host
