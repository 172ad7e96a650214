// SPDX-License-Identifier: Apache-2.0
// The host under a service manager, as the packaged systemd units run it:
// what it tells the manager (sd_notify: ready once every worker has
// observed what runs, reloading, stopping, the watchdog's keep-alive),
// heard on a notification socket of the test's own; and an s6-svscan the
// manager runs (`warden --run-svscan`) that the host waits for instead of
// starting one (`--external-svscan`).
#include "host_run.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>

namespace warden::host {
namespace {

// A notification socket like systemd's: datagrams, one message each.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path &path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        if (fd_ < 0 ||
            ::bind(fd_, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
            throw std::runtime_error("cannot bind " + path.string() + ": " + std::strerror(errno));
    }
    ~NotifySocket() { ::close(fd_); }
    NotifySocket(const NotifySocket &) = delete;
    NotifySocket &operator=(const NotifySocket &) = delete;

    // Waits for a message that holds `needle`; every message up to it is
    // consumed (and kept in heard()).
    bool hear(const std::string &needle, std::chrono::milliseconds timeout = 20s) {
        return wait_until(
            [&] {
                char buffer[4096];
                for (ssize_t n; (n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0;)
                    pending_.emplace_back(buffer, static_cast<std::size_t>(n));
                while (!pending_.empty()) {
                    std::string message = std::move(pending_.front());
                    pending_.pop_front();
                    heard_ += message + "\n--\n";
                    if (message.find(needle) != std::string::npos) {
                        last_ = message;
                        return true;
                    }
                }
                return false;
            },
            timeout);
    }
    const std::string &last() const { return last_; }
    const std::string &heard() const { return heard_; }

private:
    int fd_ = -1;
    std::deque<std::string> pending_;
    std::string heard_, last_;
};

class ServiceManagerRun : public HostRun {
protected:
    void SetUp() override {
        HostRun::SetUp();
        ::setenv("NOTIFY_SOCKET", notify_path_.c_str(), 1);
    }
    void TearDown() override {
        for (const char *name : {"NOTIFY_SOCKET", "WATCHDOG_USEC"}) ::unsetenv(name);
    }

    TempDir socket_dir_{"warden-notify"};
    std::filesystem::path notify_path_ = socket_dir_.path() / "notify";
    NotifySocket manager_{notify_path_};
};

TEST_F(ServiceManagerRun, hears_ready_after_the_first_observations_then_reloading_and_stopping) {
    write_config(config(exec_worker("one") + exec_worker("two")));
    auto host = start();
    ASSERT_TRUE(manager_.hear("READY=1")) << manager_.heard() << host->err();
    // Not "...; not yet observed after 30 s: exec/one": both had observed.
    EXPECT_EQ(manager_.last(), "READY=1\nSTATUS=running 2 workers");
    EXPECT_EQ(manager_.heard().rfind("STATUS=adopting what runs: waiting for every worker's "
                                     "first observation\n--\n",
                                     0),
              0u)
        << manager_.heard();

    host->signal(SIGHUP);
    ASSERT_TRUE(manager_.hear("RELOADING=1")) << manager_.heard() << host->err();
    ASSERT_TRUE(manager_.hear("READY=1")) << manager_.heard() << host->err();

    host->signal(SIGTERM);
    ASSERT_TRUE(manager_.hear("STOPPING=1")) << manager_.heard() << host->err();
    EXPECT_EQ(manager_.last(), "STOPPING=1\nSTATUS=exiting; services keep running");
    ASSERT_TRUE(host->wait(20s)) << host->err();
    EXPECT_EQ(host->exit_code(), 0) << host->err();
}

TEST_F(ServiceManagerRun, keeps_the_watchdog_fed) {
    ::setenv("WATCHDOG_USEC", "400000", 1);  // keep-alive every 200 ms
    write_config(config(exec_worker("one")));
    auto host = start();
    ASSERT_TRUE(manager_.hear("READY=1")) << manager_.heard() << host->err();
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(manager_.hear("WATCHDOG=1", 5s)) << manager_.heard() << host->err();
}

TEST_F(HostRun, waits_for_the_s6_svscan_a_service_manager_runs_and_for_its_successor) {
    write_config(config(exec_worker("one")));
    auto host = start({"--external-svscan"});
    // No s6-svscan yet: the host waits, and starts none.
    ASSERT_TRUE(logs(*host, "waiting for the s6-svscan the service manager runs on " +
                                sandbox_.scan_dir().string()))
        << host->err();
    EXPECT_EQ(sandbox_.processes(), std::vector<pid_t>{}) << host->err();

    const std::vector<std::string> run_svscan = {paths::warden_binary, "--config", config_file(),
                                                 "--run-svscan"};
    auto svscan =
        std::make_unique<BackgroundProcess>(run_svscan, dir_ / "svscan-out", dir_ / "svscan-err");
    ASSERT_TRUE(logs(*host, "s6-svscan pid " + std::to_string(svscan->pid()) + " watches " +
                                sandbox_.scan_dir().string() + " (run by the service manager)"))
        << host->err();
    ASSERT_TRUE(logs(*host, "exec/one: starting -> running")) << host->err();

    // A second one is refused: the scan dir has its s6-svscan.
    const auto second = run_process(run_svscan);
    EXPECT_EQ(second.exit_code, 100) << second.describe();
    EXPECT_EQ(second.err, "warden: s6-svscan pid " + std::to_string(svscan->pid()) +
                              " already watches " + sandbox_.scan_dir().string() + "\n");

    // Stopped as a service manager stops it: services go down with it.
    svscan->signal(SIGTERM);
    ASSERT_TRUE(svscan->wait(20s)) << svscan->err();
    ASSERT_TRUE(logs(*host, "waiting for the service manager to start the next s6-svscan"))
        << host->err();
    svscan = std::make_unique<BackgroundProcess>(run_svscan, dir_ / "svscan-out-2",
                                                 dir_ / "svscan-err-2");
    ASSERT_TRUE(logs(*host, "s6-svscan pid " + std::to_string(svscan->pid()) + " watches " +
                                sandbox_.scan_dir().string() + " again"))
        << host->err();
    ASSERT_TRUE(wait_until([&] { return pid_of("exec-one") != 0; }, 20s)) << host->err();

    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
    EXPECT_EQ(host->exit_code(), 0) << host->err();
    svscan->signal(SIGTERM);
    ASSERT_TRUE(svscan->wait(20s)) << svscan->err();
}

}  // namespace
}  // namespace warden::host
