// SPDX-License-Identifier: Apache-2.0
// host/s6/file_ops.hpp — the file system calls of the S6Client, each turning
// a failure into an error that names the path and the cause ("cannot write
// /run/warden/services/.exec-x.new/run: No space left on device").
#pragma once

#include "common/result.hpp"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace warden::host {

/// Creates `path` (which must not exist) with `content` and `mode`.
Result<void> write_new_file(const std::filesystem::path &path, std::string_view content,
                            mode_t mode);

/// Replaces `path` atomically: writes a temporary file beside it, renames it over.
Result<void> replace_file(const std::filesystem::path &path, std::string_view content, mode_t mode);

/// replace_file, flushed to disk (the file and its directory): after a crash
/// at any point, `path` is the old content or the new, whole.
Result<void> replace_file_durably(const std::filesystem::path &path, std::string_view content,
                                  mode_t mode);

/// The content of a small file, or nothing when it does not exist. A file
/// larger than `max_bytes`, or one that is not a regular file (a FIFO never
/// blocks the read), is an error naming it.
Result<std::optional<std::string>> read_file_if_exists(const std::filesystem::path &path,
                                                       std::size_t max_bytes = 1 << 20);

/// The small unsigned number a service's configuration file holds (such as
/// down-signal or timeout-kill: digits, then a newline), or nothing when the
/// file is missing or holds anything else.
std::optional<uint32_t> read_number_file(const std::filesystem::path &file);

/// mkdir -p with `mode` for the directories it creates.
Result<void> make_directories(const std::filesystem::path &path, mode_t mode);

/// rm -rf; a missing path is success.
Result<void> remove_tree(const std::filesystem::path &path);

/// "<what> <path>: <strerror(err)>" as an Error; ENOENT is not_found.
Error file_error(const char *what, const std::filesystem::path &path, int err);

}  // namespace warden::host
