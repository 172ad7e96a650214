// SPDX-License-Identifier: Apache-2.0
// host/config/config_watch.hpp — when to read the config file again.
//
// A change is seen by inotify on the file's directory: editors and deploy
// tools often write a new file and rename it over the old one, which a
// watch on the file itself misses. A file renamed over it is complete and
// is due at once. A file written in place is due only once it has stopped
// changing for the settle time: a tool that truncates it and writes it
// again a moment later, or writes it in several goes, makes one reload of
// the whole file, never one of the empty or partial file between. A reload
// asked for by SIGHUP waits for the same quiet spell, judged by the file's
// modification time.
//
// THREADING: one thread; poll fd() (with due() as the timeout) and call
// read_events() when it is readable.
#pragma once

#include "common/result.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace warden::host {

class ConfigWatch {
public:
    using Clock = std::chrono::steady_clock;

    static Result<std::unique_ptr<ConfigWatch>> start(const std::filesystem::path &file,
                                                      std::chrono::milliseconds settle);
    ~ConfigWatch();
    ConfigWatch(const ConfigWatch &) = delete;
    ConfigWatch &operator=(const ConfigWatch &) = delete;

    int fd() const { return fd_; }
    std::chrono::milliseconds settle() const { return settle_; }

    /// Reads the pending events: a change of the file makes a reload due,
    /// at once (renamed over it) or after the settle time (written in place).
    /// True when the file changed.
    bool read_events(Clock::time_point now);
    /// Whether the pending reload waits for the file to settle (it was
    /// written in place), not only for its turn.
    bool settling() const { return due_ && !complete_; }
    /// A reload is wanted (SIGHUP): due as soon as the file is settled.
    void request(Clock::time_point now);
    /// When the pending reload is due; nothing when none is pending.
    std::optional<Clock::time_point> due() const { return due_; }
    /// Whether the pending reload may run now: it is due, and the file has
    /// not been modified within the settle time (else it becomes due later).
    bool take_due(Clock::time_point now);
    /// What made the reload due, for the log: "SIGHUP" or "the file changed".
    const char *cause() const { return requested_ ? "SIGHUP" : "the file changed"; }
    /// Makes the pending reload due again after the settle time: the file
    /// changed while it was read.
    void postpone(Clock::time_point now) {
        due_ = now + settle_;
        complete_ = false;
    }

private:
    ConfigWatch(int fd, std::filesystem::path file, std::chrono::milliseconds settle)
        : fd_(fd), file_(std::move(file)), settle_(settle) {}
    int fd_;
    std::filesystem::path file_;
    std::chrono::milliseconds settle_;
    std::optional<Clock::time_point> due_;
    bool complete_ = false;   ///< due because a whole file was renamed into place
    bool requested_ = false;  ///< due because of request(), not a change seen
};

}  // namespace warden::host
