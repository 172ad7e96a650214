// SPDX-License-Identifier: Apache-2.0
// tests/integration/one_instance_test.cpp — one instance of a service runs,
// whatever happens to its supervisor, its directory or s6-svscan: the
// S6Client and warden-guard on a real s6, with real processes.
#include "s6/instance_record.hpp"
#include "s6/process_identity.hpp"
#include "s6/s6_client.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using warden::test::process_alive;
using warden::test::read_file;
using warden::test::S6Sandbox;
using warden::test::signal_process;
using warden::test::wait_until;

const std::string kS6Log = S6Paths().s6_log().string();

class OneInstance : public ::testing::Test {
protected:
    // A service running the fixture, saying `marker` (which finds its
    // processes again).
    void create(const std::string &name, const std::string &marker) {
        ServiceSpec spec;
        spec.name = name;
        spec.argv = {paths::service_fixture, "say", marker};
        auto created = client_.create(spec);
        ASSERT_TRUE(created.ok()) << created.error().message;
    }

    // The pid of the service's process once a supervisor runs it.
    pid_t wait_up(const std::string &name, pid_t other_than = 0) {
        pid_t pid = 0;
        EXPECT_TRUE(wait_until(
            [&] {
                auto status = client_.observe(name);
                pid = status && status->up && status->supervised ? static_cast<pid_t>(status->pid)
                                                                 : 0;
                return pid != 0 && pid != other_than;
            },
            std::chrono::seconds(15)))
            << name << " did not come up (again)\n"
            << sandbox_.svscan_output();
        return pid;
    }

    pid_t supervisor_of(const std::string &name, const char *sub = "") const {
        return lock_holder(client_.service_dir(name) / sub / "supervise" / "lock").value_or(0);
    }

    // Kills the service's (or its logger's) supervisor once there is one.
    void kill_supervisor(const std::string &name, const char *sub = "") {
        pid_t pid = 0;
        ASSERT_TRUE(wait_until([&] { return (pid = supervisor_of(name, sub)) > 1; }));
        ASSERT_TRUE(signal_process(pid, SIGKILL));
        ASSERT_TRUE(wait_until([&] { return !process_alive(pid); }));
    }

    // Kills both supervisors of `name` and deletes its directory, as someone
    // might by hand: its process runs on, unsupervised.
    void strand(const std::string &name) {
        kill_supervisor(name);
        kill_supervisor(name, "log");
        fs::remove_all(client_.service_dir(name));
    }

    // Waits until the one process whose command line holds `marker` is
    // `pid`: s6 reports a process up while it may still be in its guard
    // (ending an old instance, recording itself) before it becomes the
    // program.
    bool runs_alone(const std::string &marker, pid_t pid) {
        return wait_until([&] { return running(marker) == std::vector<pid_t>{pid}; },
                          std::chrono::seconds(15));
    }

    // Live processes running `program` (argv[0]; not the run script's
    // execline or guard on the way to it) whose command line holds `needle`.
    std::vector<pid_t> running(const std::string &needle,
                               const std::string &program = paths::service_fixture) const {
        std::vector<pid_t> found;
        for (const pid_t pid : sandbox_.processes()) {
            std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
            const std::string cmdline((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
            if (cmdline.compare(0, program.size() + 1, program + '\0') == 0 &&
                cmdline.find(needle) != std::string::npos)
                found.push_back(pid);
        }
        return found;
    }

    std::string log_of(const std::string &name) const {
        std::ifstream in(client_.log_dir(name) / "current", std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
};

TEST_F(OneInstance, a_killed_supervisor_leaves_one_instance_of_its_service) {
    create("svc-lone", "lone-marker");
    const pid_t first = wait_up("svc-lone");
    ASSERT_TRUE(runs_alone("lone-marker", first)) << "not past its guard";
    const pid_t supervisor = supervisor_of("svc-lone");
    ASSERT_NE(supervisor, 0);

    // The process lives on without its supervisor; s6-svscan starts a new
    // supervisor within a second, which starts the service again.
    ASSERT_TRUE(signal_process(supervisor, SIGKILL));
    const pid_t second = wait_up("svc-lone", first);
    EXPECT_NE(supervisor_of("svc-lone"), supervisor);
    EXPECT_TRUE(wait_until([&] { return !process_alive(first); }))
        << "the earlier instance still runs beside the new one";
    EXPECT_TRUE(runs_alone("lone-marker", second)) << running("lone-marker").size() << " processes";
    EXPECT_TRUE(wait_until([&] {
        return log_of("svc-lone")
                   .find("warden-guard: process " + std::to_string(first) +
                         " of an earlier instance still ran without its "
                         "supervisor; ended it with signal 15 before starting "
                         "this one") != std::string::npos;
    })) << log_of("svc-lone");
}

TEST_F(OneInstance, a_service_made_again_after_its_directory_and_supervisor_went_runs_once) {
    create("svc-again", "again-marker");
    const pid_t first = wait_up("svc-again");
    ASSERT_TRUE(runs_alone("again-marker", first)) << "not past its guard";
    // Someone kills the supervisor and deletes the directory: the process
    // runs on, unsupervised, with no status file left to name it.
    strand("svc-again");
    ASSERT_TRUE(process_alive(first));

    create("svc-again", "again-marker");  // what its worker does next
    const pid_t second = wait_up("svc-again", first);
    EXPECT_TRUE(wait_until([&] { return !process_alive(first); }));
    EXPECT_TRUE(runs_alone("again-marker", second))
        << running("again-marker").size() << " processes";
}

TEST_F(OneInstance, a_killed_logger_supervisor_leaves_one_logger) {
    create("svc-logged", "logged-marker");
    wait_up("svc-logged");
    const std::string log_dir = client_.log_dir("svc-logged").string();
    std::vector<pid_t> loggers;
    ASSERT_TRUE(wait_until([&] {
        loggers = running(log_dir, kS6Log);
        return loggers.size() == 1;
    }));
    kill_supervisor("svc-logged", "log");
    // The new supervisor's s6-log could not take the log dir's lock from
    // the old one; its guard ends the old one first.
    EXPECT_TRUE(wait_until(
        [&] {
            const std::vector<pid_t> now = running(log_dir, kS6Log);
            return now.size() == 1 && now[0] != loggers[0];
        },
        std::chrono::seconds(15)))
        << running(log_dir, kS6Log).size() << " loggers\n"
        << sandbox_.svscan_output();
    EXPECT_FALSE(process_alive(loggers[0]));
}

TEST_F(OneInstance, removal_ends_a_process_its_record_names_after_its_directory_went) {
    create("svc-stray", "stray-marker");
    const pid_t pid = wait_up("svc-stray");
    ASSERT_TRUE(runs_alone("stray-marker", pid)) << "not past its guard";
    strand("svc-stray");
    ASSERT_TRUE(process_alive(pid));

    auto removed = client_.remove("svc-stray");
    ASSERT_TRUE(removed.ok()) << removed.error().message;
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid); }));
    EXPECT_FALSE(fs::exists(instance_record_dir(sandbox_.scan_dir()) / "svc-stray"));
}

// s6-svscan killed: its supervisors keep their services running. A new
// s6-svscan takes each over when its process next stops, never restarting
// one for it; meanwhile its output goes to a rotated log.
TEST_F(OneInstance, a_new_svscan_takes_over_each_service_when_its_process_next_stops) {
    create("svc-kept", "kept-marker");
    const pid_t first = wait_up("svc-kept");
    ASSERT_TRUE(runs_alone("kept-marker", first)) << "not past its guard";
    const pid_t old_svscan = sandbox_.svscan_pid();
    ASSERT_TRUE(signal_process(old_svscan, SIGKILL));
    ASSERT_TRUE(wait_until([&] { return !process_alive(old_svscan); }));

    auto started =
        ensure_svscan(sandbox_.scan_dir(), sandbox_.svscan_log_dir(), S6Sandbox::s6_paths());
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->how, SvscanStart::How::started);
    EXPECT_EQ(hand_over_supervisors(sandbox_.scan_dir(), started->pid),
              std::vector<std::string>{"svc-kept"});
    EXPECT_EQ(wait_up("svc-kept"), first) << "handed over without a restart";
    // Until the hand-over, the new s6-svscan's tries show in its log, which
    // one s6-log rotates (10 files of 1 MB) for every s6-svscan in turn.
    EXPECT_TRUE(wait_until([&] {
        return sandbox_.svscan_output().find("s6-supervise") != std::string::npos;
    })) << sandbox_.svscan_output();
    const std::vector<pid_t> loggers = running(sandbox_.svscan_log_dir().string(), kS6Log);
    ASSERT_EQ(loggers.size(), 1u);
    std::ifstream cmdline("/proc/" + std::to_string(loggers[0]) + "/cmdline", std::ios::binary);
    const std::string args((std::istreambuf_iterator<char>(cmdline)),
                           std::istreambuf_iterator<char>());
    EXPECT_NE(args.find(std::string("n10\0s1000000\0T\0", 15)), std::string::npos) << args;

    ASSERT_TRUE(signal_process(first, SIGKILL));  // the process stops: the old supervisor exits
    const pid_t second = wait_up("svc-kept", first);
    EXPECT_TRUE(wait_until([&] { return parent_of(supervisor_of("svc-kept")) == started->pid; }))
        << "supervised by the new s6-svscan";
    EXPECT_TRUE(
        wait_until([&] { return parent_of(supervisor_of("svc-kept", "log")) == started->pid; }));
    EXPECT_TRUE(runs_alone("kept-marker", second)) << running("kept-marker").size() << " processes";
    EXPECT_TRUE(hand_over_supervisors(sandbox_.scan_dir(), started->pid).empty());
    // The sandbox kills this s6-svscan by pid too.
    signal_process(started->pid, SIGKILL);
}

}  // namespace
}  // namespace warden::host
