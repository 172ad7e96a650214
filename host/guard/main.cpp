// SPDX-License-Identifier: Apache-2.0
// host/guard/main.cpp — warden-guard: one instance of a service, always.
//
//   warden-guard RECORD PROGRAM [ARG]...
//
// Every run script Warden writes starts its program through this (the
// service's run and its logger's). Before PROGRAM runs, the process RECORD
// names (see host/s6/instance_record.hpp) is ended if it still runs: the
// previous instance, left behind when its s6-supervise was killed or its
// service directory deleted, would otherwise run beside the new one. Then
// this process records itself (its pid is PROGRAM's: it execs into it) and
// its supervisor, and execs PROGRAM. It never stops a service from
// starting: a record it cannot write is a warning in the service's log.
//
// The earlier instance gets the service's down signal (./down-signal, else
// SIGTERM) and, after ./timeout-kill ms (0: never; none: 10 s), SIGKILL.
#include "s6/file_ops.hpp"
#include "s6/instance_record.hpp"

#include <warden/plugin.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using namespace warden::host;

// A service without a timeout-kill file (a logger) is given the host's default.
constexpr std::chrono::milliseconds kDefaultKillAfter{WARDEN_DEFAULT_KILL_TIMEOUT_MS};

void say(const std::string &line) {
    std::cerr << "warden-guard: " << line << std::endl;
}

// The s6-supervise that started this instance: the parent, if it is an
// s6-supervise running in this directory. A parent that is anything else
// (the process was orphaned before it got here, and adopted by init or a
// subreaper) is not recorded: a later instance must never kill it.
std::optional<ProcessIdentity> own_supervisor() {
    const pid_t parent = ::getppid();
    std::ifstream comm("/proc/" + std::to_string(parent) + "/comm");
    std::string name;
    if (!std::getline(comm, name) || name != "s6-supervise") return std::nullopt;
    std::error_code a, b;
    const auto theirs =
        std::filesystem::read_symlink("/proc/" + std::to_string(parent) + "/cwd", a);
    const auto ours = std::filesystem::read_symlink("/proc/self/cwd", b);
    if (a || b || theirs != ours) return std::nullopt;
    return identify_process(parent);
}

void end_earlier_instance(const std::filesystem::path &record_file) {
    const std::optional<InstanceRecord> earlier = read_instance_record(record_file);
    if (!earlier) return;
    // The service's own files, in the current directory.
    const int down_signal = static_cast<int>(read_number_file("down-signal").value_or(SIGTERM));
    // timeout-kill as s6 reads it: 0 = never SIGKILL. A logger has none.
    const std::optional<uint32_t> kill_ms = read_number_file("timeout-kill");
    const std::optional<std::chrono::milliseconds> kill_after =
        !kill_ms        ? std::optional(kDefaultKillAfter)
        : *kill_ms == 0 ? std::nullopt
                        : std::optional(std::chrono::milliseconds(*kill_ms));
    const EndedInstance ended =
        end_recorded_instance(*earlier, ::getpid(), ::getppid(), down_signal, kill_after);
    if (!ended.ended) return;
    const std::string what =
        "process " + std::to_string(earlier->process.pid) + " of an earlier instance still ran" +
        (ended.supervisor_ended
             ? " under the supervisor of a vanished service directory, which was killed"
             : " without its supervisor");
    if (ended.still_running)
        say(what + "; it survived SIGKILL; starting this one anyway");
    else if (ended.killed)
        say(what + "; ended it with SIGKILL (signal " + std::to_string(down_signal) +
            " did not end it within " + std::to_string(kill_after->count()) +
            " ms) before starting this one");
    else
        say(what + "; ended it with signal " + std::to_string(down_signal) +
            " before starting this one");
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 3 || argv[1][0] != '/' || argv[2][0] != '/') {
        std::cerr << "usage: warden-guard RECORD PROGRAM [ARG]... (absolute paths)\n";
        return 100;
    }
    const std::filesystem::path record_file = argv[1];
    end_earlier_instance(record_file);

    InstanceRecord self;
    self.boot_id = boot_id();
    auto me = identify_process(::getpid());
    auto supervisor = own_supervisor();
    if (me) self.process = *me;
    if (supervisor) self.supervisor = *supervisor;
    Result<void> written = self.boot_id.empty() || !me
                               ? Result<void>(fail("cannot identify this process in /proc"))
                               : make_directories(record_file.parent_path(), 0700);
    if (written) written = write_instance_record(record_file, self);
    if (!written)
        say(written.error().message +
            "; starting anyway, but a later instance cannot end this one should its supervisor "
            "be killed");

    ::execv(argv[2], argv + 2);
    const int error = errno;
    say(std::string("cannot execute ") + argv[2] + ": " + std::strerror(error));
    // The shell's and execline's codes, which workers report as such: 127 for
    // a program that is not there, 126 for one that cannot be executed.
    return error == ENOENT || error == ENOTDIR ? 127 : 126;
}
