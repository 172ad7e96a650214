// SPDX-License-Identifier: Apache-2.0
// tests/support/process.hpp — run a program to completion, with a deadline.
//
// The child runs in its own process group; when the deadline passes, or the
// test unwinds early, the whole group is killed by pid and reaped. Nothing a
// test starts this way outlives it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace warden::test {

struct ProcessResult {
    int exit_code = -1;   ///< -1 when it did not exit normally
    int term_signal = 0;  ///< the signal that ended it, if any
    bool timed_out = false;
    std::string out;  ///< everything it wrote to stdout
    std::string err;  ///< everything it wrote to stderr

    /// For assertion messages: how it ended and what it printed.
    std::string describe() const;
};

struct ProcessOptions {
    std::filesystem::path cwd;           ///< empty = inherit
    std::vector<std::string> extra_env;  ///< "NAME=value" added to the environment
    std::chrono::milliseconds timeout{60'000};
};

/// Runs argv[0] (a path, or a name looked up in PATH) with argv.
ProcessResult run_process(const std::vector<std::string> &argv, const ProcessOptions &options = {});

/// A program started in the background, its stdout and stderr going to
/// files the test reads while it runs. The destructor kills it (SIGKILL, by
/// pid) and reaps it unless wait() did.
class BackgroundProcess {
public:
    /// Starts argv[0] (a path) with stdout and stderr in `out_file`, `err_file`.
    BackgroundProcess(const std::vector<std::string> &argv, const std::filesystem::path &out_file,
                      const std::filesystem::path &err_file);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess &) = delete;
    BackgroundProcess &operator=(const BackgroundProcess &) = delete;

    pid_t pid() const { return pid_; }
    void signal(int signal_number) const;
    /// What it wrote to stderr so far.
    std::string err() const;
    std::string out() const;
    /// Waits until it exits (true) or `timeout` passes (false).
    bool wait(std::chrono::milliseconds timeout);
    /// After wait(): its exit code, or -1 when a signal ended it.
    int exit_code() const { return exit_code_; }
    int term_signal() const { return term_signal_; }

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    int exit_code_ = -1;
    int term_signal_ = 0;
    std::filesystem::path out_file_, err_file_;
};

}  // namespace warden::test
