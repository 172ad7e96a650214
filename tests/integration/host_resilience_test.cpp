// SPDX-License-Identifier: Apache-2.0
// tests/integration/host_resilience_test.cpp — what a careless operator or
// a dying process does around a running `warden --config FILE`, and what
// the host keeps: a file written in two steps read once, whole; an emptied
// file refused; a killed s6-svscan restored; supervisors a killed s6-svscan
// left handed over without restarting a service; directories Warden did not
// make left alone; processes whose directory vanished ended only when that
// is safe. Every wait has a deadline.
#include "host_run.hpp"

#include "s6/instance_record.hpp"
#include "s6/process_identity.hpp"
#include "s6/service_status.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <fstream>

namespace warden::host {
namespace {

namespace fs = std::filesystem;

class HostResilience : public HostRun {
protected:
    // Replaces the file whole (a new file renamed over it): read at once.
    void replace_config(const std::string &text) {
        write_file(dir_ / "warden.yaml.new", text);
        fs::rename(dir_ / "warden.yaml.new", dir_ / "warden.yaml");
    }

    // Makes service `name` (running the fixture saying `word`), then takes
    // its supervisors and its directory away as someone might by hand: its
    // process runs on, unsupervised. Returns that process's pid.
    pid_t strand_process(const std::string &name, const std::string &word) {
        ServiceSpec spec;
        spec.name = name;
        spec.argv = {paths::service_fixture, "say", word};
        EXPECT_TRUE(client_.create(spec).ok());
        pid_t pid = 0;
        EXPECT_TRUE(wait_until([&] { return (pid = pid_of(name)) != 0; }));
        // Past its guard (which records it) and running the program.
        EXPECT_TRUE(wait_until([&] {
            std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
            const std::string args((std::istreambuf_iterator<char>(cmdline)),
                                   std::istreambuf_iterator<char>());
            return args.find(word) != std::string::npos;
        }));
        const fs::path dir = client_.service_dir(name);
        for (const fs::path &lock :
             {dir / "supervise" / "lock", dir / "log" / "supervise" / "lock"}) {
            pid_t supervisor = 0;
            EXPECT_TRUE(
                wait_until([&] { return (supervisor = lock_holder(lock).value_or(0)) > 1; }));
            EXPECT_TRUE(warden::test::signal_process(supervisor, SIGKILL));
            EXPECT_TRUE(wait_until([&] { return !process_alive(supervisor); }));
        }
        fs::remove_all(dir);
        EXPECT_TRUE(process_alive(pid));
        return pid;
    }
};

TEST_F(HostResilience, a_file_truncated_then_written_is_read_once_whole) {
    const std::string debug = "log_level: debug\n";
    write_config(config(exec_worker("a") + exec_worker("b"), debug));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    ASSERT_TRUE(logs(*host, "exec/b: starting -> running")) << host->err();
    const pid_t a = pid_of("exec-a"), b = pid_of("exec-b");

    // A tool that truncates the file, then writes it once the host has seen
    // the empty file (and has not read it).
    { std::ofstream truncate(config_file(), std::ios::trunc); }
    ASSERT_TRUE(logs(*host, "config " + config_file() +
                                " changed; read once it has not changed "
                                "for 1000 ms"))
        << host->err();
    write_config(config(exec_worker("a") + exec_worker("b") + exec_worker("c"), debug));

    ASSERT_TRUE(logs(*host, "exec/c: starting -> running")) << host->err();
    EXPECT_EQ(occurrences(host->err(),
                          "reloaded (the file changed): 3 workers; 1 added, 0 "
                          "removed, 0 changed"),
              1)
        << host->err();
    EXPECT_EQ(occurrences(host->err(), "refused"), 0) << "the empty file was never read\n"
                                                      << host->err();
    EXPECT_EQ(pid_of("exec-a"), a);
    EXPECT_EQ(pid_of("exec-b"), b);
}

TEST_F(HostResilience, an_emptied_file_is_refused_and_every_service_keeps_running) {
    write_config(config(exec_worker("a")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    const pid_t a = pid_of("exec-a");
    { std::ofstream truncate(config_file(), std::ios::trunc); }
    ASSERT_TRUE(logs(*host, "refused (1 problem); nothing changed")) << host->err();
    EXPECT_NE(host->err().find(config_file() + ": the file is empty; to run no workers, write "
                                               "`workers: []`"),
              std::string::npos)
        << host->err();
    EXPECT_EQ(pid_of("exec-a"), a);
    EXPECT_EQ(occurrences(host->err(), "exec/a: running -> stopping"), 0) << host->err();
}

TEST_F(HostResilience, a_killed_svscan_is_restored_and_new_workers_start) {
    write_config(config(exec_worker("a")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    const pid_t a = pid_of("exec-a");
    const pid_t old_svscan = svscan_pid(sandbox_.scan_dir()).value_or(0);
    ASSERT_NE(old_svscan, 0);

    ASSERT_TRUE(warden::test::signal_process(old_svscan, SIGKILL));
    ASSERT_TRUE(logs(*host, "s6-svscan pid " + std::to_string(old_svscan) + " on " +
                                sandbox_.scan_dir().string() +
                                " exited; its services keep running, but none could start; "
                                "starting a new s6-svscan"))
        << host->err();
    ASSERT_TRUE(logs(*host, " started on " + sandbox_.scan_dir().string(), 2)) << host->err();
    const pid_t new_svscan = svscan_pid(sandbox_.scan_dir()).value_or(0);
    EXPECT_NE(new_svscan, old_svscan);
    EXPECT_TRUE(logs(*host,
                     "1 service is still supervised by s6-supervise processes an earlier "
                     "s6-svscan left (exec-a); each passes to s6-svscan pid " +
                         std::to_string(new_svscan)))
        << host->err();
    EXPECT_EQ(pid_of("exec-a"), a) << "the hand-over restarts nothing";

    replace_config(config(exec_worker("a") + exec_worker("b")));
    ASSERT_TRUE(logs(*host, "exec/b: starting -> running")) << host->err();
    EXPECT_EQ(
        parent_of(lock_holder(client_.service_dir("exec-b") / "supervise" / "lock").value_or(0)),
        new_svscan);
    EXPECT_EQ(pid_of("exec-a"), a);
}

// The s6-log that rotates s6-svscan's output dies while s6-svscan runs: a
// new one takes its place, before the FIFO between them can fill and block
// s6-svscan and every supervisor writing to it.
TEST_F(HostResilience, a_killed_svscan_logger_is_replaced) {
    write_config(config(exec_worker("a")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    const fs::path lock = sandbox_.log_root() / "_s6-svscan" / "lock";
    pid_t logger = 0;
    ASSERT_TRUE(wait_until([&] { return (logger = lock_holder(lock).value_or(0)) > 1; }));
    ASSERT_TRUE(warden::test::signal_process(logger, SIGKILL));
    ASSERT_TRUE(logs(
        *host, "s6-log pid " + std::to_string(logger) + ", which rotates s6-svscan's output into " +
                   (sandbox_.log_root() / "_s6-svscan").string() + ", exited; starting a new one"))
        << host->err();
    pid_t replaced = 0;
    EXPECT_TRUE(wait_until([&] {
        replaced = lock_holder(lock).value_or(0);
        return replaced > 1 && replaced != logger;
    })) << host->err();
    EXPECT_EQ(pid_of("exec-a") != 0, true);
}

TEST_F(HostResilience, a_host_started_after_svscan_was_killed_hands_its_supervisors_over) {
    write_config(config(exec_worker("a")));
    pid_t a = 0;
    {
        auto host = start();
        ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
        a = pid_of("exec-a");
        host->signal(SIGKILL);
        ASSERT_TRUE(host->wait(10s));
    }
    const pid_t old_svscan = svscan_pid(sandbox_.scan_dir()).value_or(0);
    ASSERT_TRUE(warden::test::signal_process(old_svscan, SIGKILL));
    ASSERT_TRUE(wait_until([&] { return !svscan_pid(sandbox_.scan_dir()); }));

    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    EXPECT_EQ(pid_of("exec-a"), a) << "adopted, not restarted";
    const pid_t new_svscan = svscan_pid(sandbox_.scan_dir()).value_or(0);
    EXPECT_TRUE(logs(*host, "(exec-a); each passes to s6-svscan pid " + std::to_string(new_svscan) +
                                " when its process next stops"))
        << host->err();

    // The process stops: s6-svscan's own supervisor takes it on, once.
    ASSERT_TRUE(warden::test::signal_process(a, SIGKILL));
    pid_t second = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            second = pid_of("exec-a");
            return second != 0 && second != a &&
                   parent_of(lock_holder(client_.service_dir("exec-a") / "supervise" / "lock")
                                 .value_or(0)) == new_svscan;
        },
        15s))
        << host->err() << sandbox_.svscan_output();
}

// A hand-made s6 service that carries a worker type's prefix is never
// touched, --remove-orphans or not, and no worker may take it over.
TEST_F(HostResilience, a_directory_warden_did_not_make_is_left_alone_whatever_the_flags) {
    sandbox_.start_svscan();
    const fs::path handmade = sandbox_.scan_dir() / "exec-handmade";
    fs::create_directories(handmade);
    {
        std::ofstream run(handmade / "run");
        run << "#!/bin/sh\nexec " << paths::service_fixture << " say handmade\n";
    }
    fs::permissions(handmade / "run", fs::perms::owner_all | fs::perms::group_read |
                                          fs::perms::group_exec | fs::perms::others_read |
                                          fs::perms::others_exec);
    ASSERT_TRUE(rescan(sandbox_.scan_dir(), false).ok());
    const auto handmade_pid = [&] {
        const auto status = current_status(handmade);
        return status && status->up() ? static_cast<pid_t>(status->pid) : 0;
    };
    ASSERT_TRUE(wait_until([&] { return handmade_pid() != 0; }));
    const pid_t pid = handmade_pid();

    write_config(config(exec_worker("real") + exec_worker("handmade")));
    auto host = start({"--remove-orphans"});
    ASSERT_TRUE(logs(*host, "exec/real: starting -> running")) << host->err();
    EXPECT_TRUE(logs(*host, "exec-handmade in " + sandbox_.scan_dir().string() +
                                " was not made by warden (it has no .warden-manifest); left "
                                "alone, whatever the flags, and no worker may use its name"))
        << host->err();
    EXPECT_TRUE(logs(*host, "service exec-handmade in " + sandbox_.scan_dir().string() +
                                " was not made by warden (it has no .warden-manifest); leaving it "
                                "alone"))
        << "the worker that names it is refused\n"
        << host->err();
    EXPECT_EQ(handmade_pid(), pid);
    EXPECT_TRUE(fs::exists(handmade / "run"));
    EXPECT_FALSE(fs::exists(handmade / ".warden-manifest"));
}

// The directory of a service no worker claims was deleted by hand while
// its process ran on: named, and ended only with --remove-orphans.
TEST_F(HostResilience, a_process_whose_directory_vanished_is_ended_only_when_asked) {
    sandbox_.start_svscan();
    const pid_t pid = strand_process("exec-vanished", "vanished");
    ASSERT_FALSE(HasFailure());

    write_config(config(exec_worker("real")));
    {
        auto host = start();
        ASSERT_TRUE(logs(*host, "exec/real: starting -> running")) << host->err();
        EXPECT_TRUE(logs(*host, "process " + std::to_string(pid) +
                                    " of service exec-vanished runs without its service "
                                    "directory and no worker claims it; left alone "
                                    "(--remove-orphans ends it)"))
            << host->err();
        EXPECT_TRUE(process_alive(pid));
    }
    auto host = start({"--remove-orphans"});
    ASSERT_TRUE(logs(*host, "ended process " + std::to_string(pid) +
                                " of service exec-vanished, which ran without its service "
                                "directory"))
        << host->err();
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid); }));
    EXPECT_FALSE(fs::exists(instance_record_dir(sandbox_.scan_dir()) / "exec-vanished"));
}

// A process whose directory vanished, claimed by a worker that wants it
// stopped: no new instance will ever end it, so the host does at start.
TEST_F(HostResilience,
       a_process_whose_directory_vanished_is_ended_when_its_worker_wants_it_stopped) {
    sandbox_.start_svscan();
    const pid_t pid = strand_process("exec-idle", "idle");
    ASSERT_FALSE(HasFailure());

    write_config(config(exec_worker("idle", "[say, idle]", "stopped")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "ended process " + std::to_string(pid) +
                                " of service exec-idle, which ran without its service directory "
                                "(its worker's desired state is stopped)"))
        << host->err();
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid); }));
}

// As root, whoever can change the config file or the scan dir could run any
// program as root through them: the host refuses both, at start and on
// reload, and keeps what runs.
TEST_F(HostResilience, as_root_a_config_file_or_scan_dir_others_may_write_is_refused) {
    if (::geteuid() != 0) GTEST_SKIP() << "the rule applies to a host running as root";
    write_config(config(exec_worker("a")));
    ::chmod(config_file().c_str(), 0666);
    const auto refused = run_process({paths::warden_binary, "--config", config_file(), "--log-dir",
                                      sandbox_.log_root().string()},
                                     {{}, {}, 20s});
    EXPECT_EQ(refused.exit_code, 1) << refused.describe();
    EXPECT_NE(refused.err.find("config file " + config_file() + " refused: " + config_file() +
                               " has mode 0666: writable by group or others; the host runs as "
                               "root, and whoever can change the file can run any program as "
                               "root through it"),
              std::string::npos)
        << refused.err;
    EXPECT_FALSE(client_.observe("exec-a")->exists);
    // Checking it would run programs it names (a plugin's own check): refused too.
    const auto checked = run_process({paths::warden_binary, "--config", config_file(),
                                      "--check-config", "--plugin-dir", plugins_.path().string()},
                                     {{}, {}, 20s});
    EXPECT_EQ(checked.exit_code, 1) << checked.describe();
    EXPECT_NE(checked.err.find("has mode 0666: writable by group or others"), std::string::npos)
        << checked.describe();

    ::chmod(config_file().c_str(), 0644);
    ::chmod(sandbox_.log_root().c_str(), 0777);
    const auto open_logs = run_process({paths::warden_binary, "--config", config_file(),
                                        "--log-dir", sandbox_.log_root().string()},
                                       {{}, {}, 20s});
    EXPECT_EQ(open_logs.exit_code, 1) << open_logs.describe();
    EXPECT_NE(open_logs.err.find("log dir " + sandbox_.log_root().string() +
                                 " refused: " + sandbox_.log_root().string() +
                                 " has mode 0777: writable by group or others"),
              std::string::npos)
        << open_logs.err;
    ::chmod(sandbox_.log_root().c_str(), 0755);
    ::chmod(sandbox_.scan_dir().c_str(), 0777);
    const auto open_scan = run_process({paths::warden_binary, "--config", config_file(),
                                        "--log-dir", sandbox_.log_root().string()},
                                       {{}, {}, 20s});
    EXPECT_EQ(open_scan.exit_code, 1) << open_scan.describe();
    EXPECT_NE(open_scan.err.find("scan dir " + sandbox_.scan_dir().string() +
                                 " refused: " + sandbox_.scan_dir().string() +
                                 " has mode 0777: writable by group or others"),
              std::string::npos)
        << open_scan.err;
    ::chmod(sandbox_.scan_dir().c_str(), 0755);

    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    const pid_t a = pid_of("exec-a");
    write_config(config(exec_worker("a") + exec_worker("b")));
    ::chmod(config_file().c_str(), 0666);
    ASSERT_TRUE(logs(*host, "has mode 0666: writable by group or others; the host runs as root"))
        << host->err();
    EXPECT_TRUE(logs(*host, "; nothing changed")) << host->err();
    EXPECT_EQ(pid_of("exec-a"), a);
    EXPECT_FALSE(client_.observe("exec-b")->exists);
}

}  // namespace
}  // namespace warden::host
