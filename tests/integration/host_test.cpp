// SPDX-License-Identifier: Apache-2.0
// tests/integration/host_test.cpp — `warden --config FILE` as a user runs
// it: the real binary starting its own s6-svscan, loading the exec sample
// from its .so, reloading its file, surviving SIGKILL, exiting on SIGTERM,
// and answering `warden --status`. Every wait has a deadline; the sandbox
// kills whatever the test started, by pid.
#include "host_run.hpp"

#include <signal.h>

namespace warden::host {
namespace {

TEST_F(HostRun, starts_from_its_config_shows_its_status_and_leaves_services_running_on_sigterm) {
    write_config(config(exec_worker("one") + exec_worker("two")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/one: starting -> running")) << host->err();
    ASSERT_TRUE(logs(*host, "exec/two: starting -> running")) << host->err();
    EXPECT_EQ(occurrences(host->err(), "exec/one: stopped -> starting: desired state is running"),
              1);
    const pid_t one = pid_of("exec-one"), two = pid_of("exec-two");
    ASSERT_NE(one, 0);

    const auto status = run_process({paths::warden_binary, "--config", config_file(), "--status"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_EQ(status.out.rfind("warden pid " + std::to_string(host->pid()) + ", up ", 0), 0u)
        << status.out;
    EXPECT_NE(status.out.find("TYPE  NAME  STATE    PHASE            SINCE"), std::string::npos)
        << status.out;
    for (const auto &[name, pid] : {std::pair{"one", one}, std::pair{"two", two}}) {
        const auto row =
            status.out.find(std::string("exec  ") + name + "   running  running-healthy");
        ASSERT_NE(row, std::string::npos) << status.out;
        const std::string line = status.out.substr(row, status.out.find('\n', row) - row);
        // The last action: deploy, or start when s6 had not yet announced
        // the service's first status.
        EXPECT_TRUE(line.find("deploy ok ") != std::string::npos ||
                    line.find("start ok ") != std::string::npos)
            << line;
        EXPECT_NE(line.find("  " + std::to_string(pid) + "  "), std::string::npos) << line;
        EXPECT_NE(line.find("process " + std::to_string(pid) + " up for"), std::string::npos)
            << line;
    }

    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
    EXPECT_EQ(host->exit_code(), 0) << host->err();
    EXPECT_NE(host->err().find("SIGTERM received; finishing actions in flight, then exiting; "
                               "services keep running"),
              std::string::npos)
        << host->err();
    EXPECT_EQ(pid_of("exec-one"), one);
    EXPECT_EQ(pid_of("exec-two"), two);

    const auto none = run_process({paths::warden_binary, "--config", config_file(), "--status"});
    EXPECT_EQ(none.exit_code, 3) << none.describe();
    EXPECT_EQ(none.err, "warden: no host runs on scan dir " + sandbox_.scan_dir().string() +
                            " (nothing listens on " + sandbox_.scan_dir().string() +
                            "/.warden/control)\n");
}

TEST_F(HostRun, a_changed_file_is_reloaded_and_a_bad_one_refused_with_nothing_changed) {
    write_config(config(exec_worker("kept") + exec_worker("changed") + exec_worker("dropped")));
    auto host = start();
    for (const char *name : {"kept", "changed", "dropped"})
        ASSERT_TRUE(logs(*host, std::string("exec/") + name + ": starting -> running"))
            << host->err();
    const pid_t kept = pid_of("exec-kept"), changed = pid_of("exec-changed");

    write_config(config(exec_worker("kept") + exec_worker("changed", "[say, changed]") +
                        exec_worker("added")));
    ASSERT_TRUE(logs(*host, "(the file changed): 3 workers; 1 added, 1 removed, 1 changed"))
        << host->err();
    ASSERT_TRUE(logs(*host, "exec/added: starting -> running")) << host->err();
    ASSERT_TRUE(wait_until([&] { return !client_.observe("exec-dropped")->exists; }))
        << host->err();
    ASSERT_TRUE(wait_until([&] {
        const pid_t now = pid_of("exec-changed");
        return now != 0 && now != changed;
    })) << host->err();
    EXPECT_EQ(pid_of("exec-kept"), kept);

    // A bad file: every problem logged with its line; nothing changes.
    const pid_t added = pid_of("exec-added");
    const pid_t changed_now = pid_of("exec-changed");
    write_config(config(exec_worker("kept") + "  - type: nosuch\n    name: x\n" +
                        exec_worker("broken", "[say, hi]", "paused")));
    ASSERT_TRUE(logs(*host, "refused (2 problems); nothing changed")) << host->err();
    EXPECT_NE(host->err().find(config_file() + ":12: worker nosuch/x: no loaded plugin offers "
                                               "worker type 'nosuch'"),
              std::string::npos)
        << host->err();
    EXPECT_NE(host->err().find("workers[2].desired_state: 'paused' is not one of running, stopped"),
              std::string::npos)
        << host->err();
    EXPECT_EQ(pid_of("exec-kept"), kept);
    EXPECT_EQ(pid_of("exec-added"), added);
    EXPECT_EQ(pid_of("exec-changed"), changed_now);

    // SIGHUP reloads too: the fixed file stops one worker.
    write_config(config(exec_worker("kept", "[say, hi]", "stopped") +
                        exec_worker("changed", "[say, changed]") + exec_worker("added")));
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, "exec/kept: stopping -> stopped")) << host->err();
    EXPECT_TRUE(wait_until([&] { return !process_alive(kept); }));
    EXPECT_EQ(pid_of("exec-added"), added);
}

TEST_F(HostRun, killed_with_sigkill_and_started_again_it_adopts_every_service_unrestarted) {
    write_config(config(exec_worker("a") + exec_worker("b") + exec_worker("c")));
    std::vector<pid_t> before;
    {
        auto host = start();
        for (const char *name : {"a", "b", "c"})
            ASSERT_TRUE(logs(*host, std::string("exec/") + name + ": starting -> running"))
                << host->err();
        for (const char *service : {"exec-a", "exec-b", "exec-c"})
            before.push_back(pid_of(service));
        host->signal(SIGKILL);
        ASSERT_TRUE(host->wait(10s));
    }
    auto again = start();
    for (const char *name : {"a", "b", "c"})
        ASSERT_TRUE(logs(*again, std::string("exec/") + name + ": starting -> running"))
            << again->err();
    std::vector<pid_t> after;
    for (const char *service : {"exec-a", "exec-b", "exec-c"}) {
        after.push_back(pid_of(service));
        EXPECT_EQ(client_.observe(service)->restart_count, 0u) << service;
    }
    EXPECT_EQ(after, before) << again->err();
}

TEST_F(HostRun, sigterm_with_stop_services_on_exit_stops_every_service_first) {
    write_config(config(exec_worker("a") + exec_worker("b"), "stop_services_on_exit: true\n"));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/a: starting -> running")) << host->err();
    ASSERT_TRUE(logs(*host, "exec/b: starting -> running")) << host->err();
    const pid_t a = pid_of("exec-a"), b = pid_of("exec-b");
    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(30s)) << host->err();
    EXPECT_EQ(host->exit_code(), 0) << host->err();
    EXPECT_EQ(occurrences(host->err(), "-> stopped: process stopped; service exec-"), 2)
        << host->err();
    EXPECT_FALSE(process_alive(a));
    EXPECT_FALSE(process_alive(b));
    auto status = client_.observe("exec-a");
    EXPECT_TRUE(status->exists);
    EXPECT_FALSE(status->normally_up);
}

TEST_F(HostRun, a_second_signal_exits_at_once) {
    // A process that ignores SIGTERM keeps the walk to stopped busy.
    write_config(config(exec_worker("stubborn", "[ignore-term]"), "stop_services_on_exit: true\n"));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/stubborn: starting -> running")) << host->err();
    host->signal(SIGTERM);
    ASSERT_TRUE(logs(*host, "SIGTERM received")) << host->err();
    host->signal(SIGINT);
    ASSERT_TRUE(host->wait(10s)) << host->err();
    EXPECT_EQ(host->exit_code(), 1);
    EXPECT_NE(host->err().find("SIGINT received again; exiting at once"), std::string::npos)
        << host->err();
}

TEST_F(HostRun, reports_services_no_worker_claims_and_removes_them_only_when_asked) {
    sandbox_.start_svscan();
    for (const char *name : {"exec-ghost", "other"}) {
        ServiceSpec spec;
        spec.name = name;
        spec.argv = {paths::service_fixture, "say", "boo"};
        ASSERT_TRUE(client_.create(spec).ok());
    }
    ASSERT_TRUE(wait_until([&] { return pid_of("exec-ghost") != 0 && pid_of("other") != 0; }));
    const pid_t ghost = pid_of("exec-ghost"), other = pid_of("other");
    write_config(config(exec_worker("real")));
    {
        auto host = start();
        ASSERT_TRUE(logs(*host, "exec/real: starting -> running")) << host->err();
        EXPECT_EQ(occurrences(host->err(), "service exec-ghost in " + sandbox_.scan_dir().string() +
                                               " is claimed by no worker in " + config_file() +
                                               "; left alone (--remove-orphans removes it)"),
                  1)
            << host->err();
        EXPECT_EQ(occurrences(host->err(), "service other "), 0) << "not a worker type's service";
        EXPECT_EQ(pid_of("exec-ghost"), ghost);
    }
    auto host = start({"--remove-orphans"});
    ASSERT_TRUE(logs(*host, "removed orphaned service exec-ghost (claimed by no worker in " +
                                config_file() + ")"))
        << host->err();
    EXPECT_FALSE(client_.observe("exec-ghost")->exists);
    EXPECT_FALSE(process_alive(ghost));
    EXPECT_EQ(pid_of("other"), other);
}

TEST_F(HostRun, a_second_host_on_the_same_scan_dir_is_refused) {
    write_config(config(exec_worker("only")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/only: starting -> running")) << host->err();
    const auto second = run_process({paths::warden_binary, "--config", config_file(), "--log-dir",
                                     sandbox_.log_root().string()},
                                    {{}, {}, 20s});
    EXPECT_EQ(second.exit_code, 1) << second.describe();
    EXPECT_NE(second.err.find("another warden host (pid " + std::to_string(host->pid()) +
                              ") runs on scan dir " + sandbox_.scan_dir().string() +
                              "; host not started"),
              std::string::npos)
        << second.describe();
}

TEST_F(HostRun, a_bad_config_at_start_starts_nothing) {
    write_config(config(exec_worker("fine") + "  - type: exec\n    name: bad\n    config: "
                                              "{command: relative}\n"));
    const auto r = run_process({paths::warden_binary, "--config", config_file(), "--log-dir",
                                sandbox_.log_root().string()},
                               {{}, {}, 20s});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find(config_file() + ":12: worker exec/bad: invalid config: command: must be "
                                         "an absolute path, got 'relative'"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("refused (1 problem); host not started"), std::string::npos) << r.err;
    EXPECT_FALSE(client_.observe("exec-fine")->exists);
}

// The ports a worker reserved (the misbehaving plugin's "ports" type) are
// kept in SCAN/.warden/ports while the host exits and starts again, and
// released once the worker is removed from the config.
TEST_F(HostRun, a_workers_port_outlives_a_host_restart_and_goes_when_the_worker_is_removed) {
    plugins_.add(paths::misbehaving_plugin);
    const std::string worker = "  - type: ports\n    name: web\n";
    write_config(config(worker, "log_level: debug\n"));
    const auto ports_file = sandbox_.scan_dir() / ".warden" / "ports";
    // The file's line for ports/web, or "".
    const auto reservation = [&]() -> std::string {
        if (!std::filesystem::exists(ports_file)) return "";
        const std::string text = warden::test::read_file(ports_file);
        const auto end = text.find(" ports/web http\n");
        if (end == std::string::npos) return "";
        const auto start = text.rfind('\n', end) + 1;
        return text.substr(start, end - start);
    };
    std::string port;
    {
        auto host = start();
        ASSERT_TRUE(wait_until([&] { return !reservation().empty(); })) << host->err();
        port = reservation();
        host->signal(SIGTERM);
        ASSERT_TRUE(host->wait(20s)) << host->err();
    }
    EXPECT_EQ(reservation(), port) << "the host's exit let go of the port";

    auto host = start();
    ASSERT_TRUE(logs(*host,
                     "audit worker=ports/web operation=port_reserve purpose=http "
                     "requested=0 result=" +
                         port + " "))
        << "the restarted host gave another port: " << host->err();
    write_config(config(" []\n", "log_level: debug\n"));
    ASSERT_TRUE(logs(*host, "worker ports/web removed from the config: released port " + port))
        << host->err();
    EXPECT_EQ(reservation(), "");
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s)) << host->err();

    // Removed from the file while no host ran: released when the next one starts.
    write_config(config(worker, "log_level: debug\n"));
    {
        auto again = start();
        ASSERT_TRUE(wait_until([&] { return !reservation().empty(); })) << again->err();
        again->signal(SIGTERM);
        ASSERT_TRUE(again->wait(20s)) << again->err();
    }
    port = reservation();
    write_config(config(" []\n", "log_level: debug\n"));
    auto last = start();
    ASSERT_TRUE(logs(*last, "worker ports/web is not in the config: released port " + port))
        << last->err();
    EXPECT_EQ(reservation(), "");
    last->signal(SIGTERM);
    EXPECT_TRUE(last->wait(20s)) << last->err();
}

}  // namespace
}  // namespace warden::host
