// SPDX-License-Identifier: Apache-2.0
// tests/integration/service_user_test.cpp — services run as the user and
// group their worker names (ABI 1.4): the real `warden` binary running as
// root on real s6, exec workers naming a user, a group, or neither (then the
// host's service_user), each process read back from /proc/<pid>/status;
// and `warden --check-config` naming a user this machine lacks, with its
// line. That a host which is not root refuses other users is settled by the
// SDK's rule and tested where the host's uid can be given
// (tests/unit/host_rules_conformance_test.cpp).
#include "host_run.hpp"

#include "s6/instance_record.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace warden::host {
namespace {

// An exec worker running the service fixture, with `run_as` ("user: x\n",
// six spaces before each key) in its config.
std::string worker_as(const std::string &name, const std::string &run_as) {
    return exec_worker(name) + run_as;
}

// The line of /proc/<pid>/status that begins with `key` ("Uid:"), its
// fields joined by single spaces: "65534 65534 65534 65534"; "" when gone.
std::string status_line(pid_t pid, const std::string &key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) != 0) continue;
        std::istringstream fields(line.substr(key.size()));
        std::string field, joined;
        while (fields >> field) joined += (joined.empty() ? "" : " ") + field;
        return joined;
    }
    return {};
}

class ServiceUser : public HostRun {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "running services as another user needs root";
        HostRun::SetUp();
    }

    // The pid of `service` once its process runs as `uid` (it starts as
    // the host's user, and s6's programs switch it before the program runs).
    pid_t running_as(const std::string &service, const std::string &uid) {
        pid_t pid = 0;
        wait_until([&] {
            pid = pid_of(service);
            return pid != 0 && status_line(pid, "Uid:") == uid + " " + uid + " " + uid + " " + uid;
        });
        return pid;
    }
};

TEST_F(ServiceUser, a_root_host_runs_each_service_as_its_worker_or_the_service_user_asks) {
    write_config(config(worker_as("nobody", "      user: nobody\n      group: nogroup\n") +
                            worker_as("plain", "") + worker_as("root", "      user: root\n"),
                        "service_user: nobody\n"));
    auto host = start();
    for (const char *name : {"nobody", "plain", "root"})
        ASSERT_TRUE(logs(*host, std::string("exec/") + name + ": starting -> running"))
            << host->err();

    // user: nobody, group: nogroup — real, effective, saved and fs ids all
    // nobody's, and the group is the only one.
    const pid_t nobody = running_as("exec-nobody", "65534");
    ASSERT_NE(nobody, 0) << host->err();
    EXPECT_EQ(status_line(nobody, "Uid:"), "65534 65534 65534 65534");
    EXPECT_EQ(status_line(nobody, "Gid:"), "65534 65534 65534 65534");
    EXPECT_EQ(status_line(nobody, "Groups:"), "65534");

    // No user of its own: the host's service_user, with its primary group.
    const pid_t plain = running_as("exec-plain", "65534");
    ASSERT_NE(plain, 0) << host->err();
    EXPECT_EQ(status_line(plain, "Gid:"), "65534 65534 65534 65534");

    // The host's own user needs no switch.
    const pid_t root = pid_of("exec-root");
    ASSERT_NE(root, 0);
    EXPECT_EQ(status_line(root, "Uid:"), "0 0 0 0");

    // The logger keeps s6-supervise's user, and the service directory stays
    // the host's.
    const auto logger =
        read_instance_record(sandbox_.scan_dir() / ".warden" / "instances" / "exec-nobody.log");
    ASSERT_TRUE(logger.has_value());
    EXPECT_EQ(status_line(logger->process.pid, "Uid:"), "0 0 0 0");
    struct stat run {};
    ASSERT_EQ(::stat((sandbox_.scan_dir() / "exec-nobody" / "run").c_str(), &run), 0);
    EXPECT_EQ(run.st_uid, 0u);

    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
}

// A changed user is a changed service: updated in place, its process
// started again as the new user.
TEST_F(ServiceUser, a_new_user_restarts_the_process_as_that_user) {
    write_config(config(worker_as("web", "")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/web: starting -> running")) << host->err();
    const pid_t before = running_as("exec-web", "0");
    ASSERT_NE(before, 0);
    write_config(config(worker_as("web", "      user: nobody\n")));
    ASSERT_TRUE(logs(*host, "1 changed")) << host->err();
    const pid_t after = running_as("exec-web", "65534");
    EXPECT_NE(after, 0) << host->err();
    EXPECT_NE(after, before);
    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
}

// The tests below need no root.
class AnyHostUser : public HostRun {
protected:
    // The name of the user this test runs as: a service_user a host run by
    // it may have.
    static std::string own_user() {
        const passwd *entry = ::getpwuid(::geteuid());
        return entry != nullptr ? entry->pw_name : "";
    }
};

// service_user is read at start, as scan_dir is: a reload that changes it
// says so and leaves every service as it runs.
TEST_F(AnyHostUser, a_changed_service_user_takes_effect_when_the_host_restarts) {
    const std::string own = own_user();
    ASSERT_FALSE(own.empty());
    write_config(config(exec_worker("steady"), "service_user: " + own + "\n"));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/steady: starting -> running")) << host->err();
    const pid_t pid = pid_of("exec-steady");
    write_config(config(exec_worker("steady"), "service_user: nobody\n"));
    ASSERT_TRUE(logs(*host, "service_user changed: takes effect when the host restarts"))
        << host->err();
    ASSERT_TRUE(
        logs(*host, "reloaded (the file changed): 1 workers; 0 added, 0 removed, 0 changed"))
        << host->err();
    EXPECT_EQ(pid_of("exec-steady"), pid);
    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
}

// --check-config names a user this machine lacks at its worker's line (the
// worker type's own check, which asks the host), and a service_user at its.
using CheckServiceUser = AnyHostUser;

TEST_F(CheckServiceUser, check_config_names_a_user_this_machine_lacks_at_its_line) {
    write_config(
        config(exec_worker("fine") + worker_as("ghost", "      user: warden-test-no-such-user\n")));
    const auto r = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.out.find(config_file() +
                         ":12: worker exec/ghost: user 'warden-test-no-such-user' does not "
                         "exist on this machine"),
              std::string::npos)
        << r.describe();

    write_config(config(exec_worker("fine"), "service_user: warden-test-no-such-user\n"));
    const auto file =
        run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(file.exit_code, 1) << file.describe();
    EXPECT_NE(file.out.find(config_file() +
                            ":4: service_user: user 'warden-test-no-such-user' does not exist on "
                            "this machine"),
              std::string::npos)
        << file.describe();
}

}  // namespace
}  // namespace warden::host
