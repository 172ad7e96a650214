// SPDX-License-Identifier: Apache-2.0
// host/process/run_command.hpp — run one program to completion for a
// worker, the host's side of the command_run slot [WP-CMD-1].
//
// The program runs in a fresh private directory (0700, named
// warden-command-XXXXXX under $TMPDIR or /tmp), which is its working
// directory and holds the files it was given; stdin is /dev/null, stdout and
// stderr go to one pipe the host reads (the first 64 KiB are kept, the rest
// is read and dropped). It leads a process group of its own, with default
// signal dispositions and an empty signal mask whatever the host's, and no
// file descriptor of the host but 0, 1 and 2.
//
// It ends one of three ways: it exits (what it left running in its process
// group is killed); its timeout or the caller's deadline passes; or the
// caller cancels. In the last two cases its whole process group is killed
// with SIGKILL. The directory is removed in every case.
//
// THREADING: thread-safe; many commands may run at once. Blocks the calling
// thread until the program has ended and been reaped.
#pragma once

#include "common/result.hpp"

#include <warden/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace warden::host {

inline constexpr std::chrono::milliseconds kCommandDefaultTimeout{
    WARDEN_DEFAULT_COMMAND_TIMEOUT_MS};
inline constexpr std::chrono::milliseconds kCommandMaxTimeout{WARDEN_MAX_COMMAND_TIMEOUT_MS};
inline constexpr std::size_t kCommandMaxOutputBytes = WARDEN_MAX_COMMAND_OUTPUT_BYTES;

/// A file written into the command's directory before it starts.
struct CommandFile {
    std::string path;  ///< relative; no "..", "." or empty parts
    std::string content;
    uint32_t mode = WARDEN_DEFAULT_FILE_MODE;
};

struct Command {
    std::vector<std::string> argv;  ///< argv[0] is an absolute path; no shell
    std::vector<CommandFile> files;
    std::chrono::milliseconds timeout = kCommandDefaultTimeout;  ///< 0 = default; capped
    int64_t deadline_ns = INT64_MAX;  ///< monotonic; the command never runs past it
    /// Asked about every 20 ms while it runs; true kills it. May be empty.
    std::function<bool()> cancel_requested;
};

/// Why a command ended.
enum class CommandEnd {
    finished,   ///< it exited or a signal ended it
    timed_out,  ///< its own timeout passed: killed
    deadline,   ///< the caller's deadline passed first: killed
    cancelled,  ///< the caller cancelled it: killed
};

/// How a command ended.
struct CommandOutcome {
    CommandEnd end = CommandEnd::finished;
    int exit_code = 0;                     ///< when signal is 0
    int signal = 0;                        ///< the signal that ended it; 0 = it exited
    std::string output;                    ///< the first 64 KiB of stdout and stderr together
    std::size_t output_bytes = 0;          ///< how much it wrote in all
    std::chrono::milliseconds timeout{0};  ///< the timeout it ran with, defaults applied
    std::chrono::milliseconds duration{0};
};

/// The first problem with `command` as given (argv, file paths and modes),
/// an invalid_argument error, or nothing.
Result<void> check_command(const Command &command);

/// Runs `command` to its end; the outcome says which end. An error when it
/// could not run: not_found when argv[0] cannot be executed (naming it),
/// invalid_argument for a bad command, failed for what the host could not
/// do (the directory, the pipe).
Result<CommandOutcome> run_command(const Command &command);

/// The directory commands run in: $TMPDIR, or /tmp.
std::string command_temp_root();

}  // namespace warden::host
