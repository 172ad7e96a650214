// SPDX-License-Identifier: Apache-2.0
// tests/bench/supervisord.hpp — Debian's supervisord as the peer benchmark
// drives it: a supervisord of its own on a config in a directory of its own
// under TMPDIR ([unix_http_server] on a socket there, nodaemon, its log,
// pid file and the programs' AUTO log files there, [include] of a directory
// of program files), programs added and removed through its XML-RPC
// interface over that socket, and what it did read from its own log as it
// writes it.
//
// Each program is `/bin/sleep 3600`, autostart and autorestart, startsecs=0,
// stdout and stderr into supervisord's AUTO log files (supervisord writes
// them itself, as s6-log does for an s6 service).
//
// OWNERSHIP: supervisord and its programs run with their working directory
// in the Supervisord's directory; when the Supervisord goes, also on an
// error, supervisord is SIGKILLed and every process whose working directory
// lies there is killed by pid and reaped.
//
// THREADING: one thread.
#pragma once

#include "process.hpp"
#include "temp_dir.hpp"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace warden::bench {

/// A program as supervisord's log tells it.
struct LoggedProgram {
    int64_t pid = 0;       ///< of the last spawn; 0 once it exited or stopped
    bool running = false;  ///< "entered RUNNING state" since that spawn
};

/// A program as supervisord's XML-RPC getAllProcessInfo reports it.
struct ProgramInfo {
    std::string name;
    int64_t pid = 0;
    std::string state;  ///< its statename: "RUNNING", "STARTING", "STOPPED", ...
};

class Supervisord {
public:
    /// Makes the directory and the config; starts nothing.
    Supervisord();
    ~Supervisord();
    Supervisord(const Supervisord &) = delete;
    Supervisord &operator=(const Supervisord &) = delete;

    const std::filesystem::path &root() const { return dir_.path(); }
    std::filesystem::path config() const { return dir_ / "supervisord.conf"; }

    /// Starts supervisord on the config and waits until its log says it
    /// started (its socket listens by then); throws after 30 s.
    void start();
    /// SIGTERM, as `systemctl stop` or `restart` sends, and waits until it
    /// exited (it stops every program first); throws after 600 s.
    void stop();
    pid_t pid() const;

    /// Writes one program file per name, each [a-z0-9]+.
    void write_programs(const std::vector<std::string> &names);
    void delete_programs(const std::vector<std::string> &names);

    /// `reloadConfig`, then `addProcessGroup` of every group it found
    /// added, in one system.multicall; throws unless those are `names`.
    void add_groups(const std::vector<std::string> &names);
    /// `reloadConfig`; `stopProcess` of every program of the groups it found
    /// removed, not waiting, in one multicall; then `removeProcessGroup` of
    /// each, asked again for those still stopping until every one is gone;
    /// throws unless the removed groups are `names`.
    void remove_groups(const std::vector<std::string> &names);

    /// Every program, as getAllProcessInfo reports them.
    std::vector<ProgramInfo> programs_reported();
    /// One program, as getProcessInfo reports it.
    ProgramInfo program_reported(const std::string &name);

    /// Every program its log named so far, with the lines written since the
    /// last call read.
    const std::map<std::string, LoggedProgram> &programs_logged();
    /// Whether its log shows a process spawned for each of `names`.
    bool all_spawned(const std::vector<std::string> &names);
    /// Whether its log shows each of `names` RUNNING.
    bool all_running(const std::vector<std::string> &names);

    /// Runs `supervisorctl -c CONFIG` with `args`; throws unless it exits 0.
    test::ProcessResult ctl(const std::vector<std::string> &args) const;

private:
    class Rpc;

    std::string call(const std::string &method, const std::string &params);
    void reload_config(const std::vector<std::string> &added,
                       const std::vector<std::string> &removed);
    void read_log();
    void kill_everything();

    test::TempDir dir_{"warden-peer"};
    std::unique_ptr<test::BackgroundProcess> process_;
    std::unique_ptr<Rpc> rpc_;
    std::map<std::string, LoggedProgram> logged_;
    pid_t started_pid_ = 0;  ///< from the log's "supervisord started with pid N"
    std::uintmax_t log_offset_ = 0;
    std::string log_partial_;  ///< a line not yet ended
    int runs_ = 0;
};

/// The names of programs PREFIX0 ... PREFIX<n-1>.
std::vector<std::string> program_names(int n, const std::string &prefix);

}  // namespace warden::bench
