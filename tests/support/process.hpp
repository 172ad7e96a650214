// tests/support/process.hpp — run a program to completion, with a deadline.
//
// The child runs in its own process group; when the deadline passes, or the
// test unwinds early, the whole group is killed by pid and reaped. Nothing a
// test starts this way outlives it.
#pragma once

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

}  // namespace warden::test
