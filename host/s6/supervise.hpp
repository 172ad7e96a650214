// SPDX-License-Identifier: Apache-2.0
// host/s6/supervise.hpp — talking to s6-supervise and s6-svscan: who holds a
// lock, and the control FIFOs.
//
// Supervision is alive only while s6-supervise holds the POSIX lock on
// supervise/lock (s6-svscan likewise on .s6-svscan/lock); the status file
// outlives a dead supervisor. A control FIFO with no reader refuses to open
// (ENXIO): nobody supervises.
#pragma once

#include "common/result.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

namespace warden::host {

/// The pid of the process holding a POSIX lock on `lock_file`, or nothing
/// when the file is missing or unlocked. Never takes the lock itself.
std::optional<pid_t> lock_holder(const std::filesystem::path &lock_file);

/// Writes `bytes` to a control FIFO without blocking. A FIFO nobody reads
/// (or that does not exist) is a not_supervised error naming `who`.
Result<void> send_control(const std::filesystem::path &fifo, std::string_view bytes,
                          std::string_view who);

/// Waits until `done` holds for the service in `service_dir`, re-checking on
/// every change s6-supervise makes to its supervise/ directory (inotify):
/// no polling. True when it held before `timeout`.
bool wait_for_supervise_change(const std::filesystem::path &service_dir,
                               const std::function<bool()> &done,
                               std::chrono::milliseconds timeout);

/// Waits until process `pid` has exited, or `timeout` passed; true when it
/// exited (or never existed). Any process, not only a child: uses a pidfd.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout);

/// Whether `pid` is still the process that started at unix time
/// `started_ns` (within the kernel's start-time resolution): a status file
/// whose supervisor died names a pid that may since belong to someone else.
bool started_at(pid_t pid, int64_t started_ns);

}  // namespace warden::host
