// SPDX-License-Identifier: Apache-2.0
// tests/integration/status_cache_test.cpp — the S6Client observing settled
// services from memory, with the ServiceWatch of the scan dir keeping its
// cache, on a real s6: nothing is read while nothing changes, and every
// change s6 or a person makes shows at once all the same (a killed
// process, a `down` file, a killed s6-supervise with and without
// s6-svscan, a command, a service removed and made again).
#include "common/clock.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_watch.hpp"
#include "s6/supervise.hpp"

#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

extern char **environ;

namespace warden::host {
namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using warden::test::S6Sandbox;
using warden::test::wait_until;

ServiceSpec sleeper(const std::string &name) {
    ServiceSpec spec;
    spec.name = name;
    spec.argv = {paths::service_fixture, "say", "hi"};
    return spec;
}

// An S6Client with the scan dir's watch keeping its cache, as the host has.
class Watched {
public:
    explicit Watched(const S6Sandbox &sandbox) : client_(sandbox.options()) {
        fs::create_directories(sandbox.scan_dir());
        auto watch = ServiceWatch::start(
            sandbox.scan_dir(), [](const std::string &) {}, &client_.status_cache());
        if (!watch) throw std::runtime_error(watch.error().message);
        watch_ = std::move(watch).value();
    }

    S6Client &client() { return client_; }

    ServiceStatus observe(const std::string &name) {
        auto status = client_.observe(name);
        EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
        return status.ok() ? status.value() : ServiceStatus{};
    }

    // Waits until `name` is up and supervised, and observed from memory:
    // an observe that read nothing. Returns its status.
    ServiceStatus settled(const std::string &name) {
        ServiceStatus status;
        const bool kept = wait_until([&] {
            const uint64_t reads = client_.status_reads();
            status = observe(name);
            return status.up && status.supervised && client_.status_reads() == reads;
        });
        EXPECT_TRUE(kept) << name << " was not observed from memory: up " << status.up
                          << ", supervised " << status.supervised;
        return status;
    }

private:
    S6Client client_;
    std::atomic<int> news_{0};
    std::atomic<int> kept_at_news_{0};
    std::unique_ptr<ServiceWatch> watch_;  // after the client: it goes first
};

// Every field, as a fresh read of s6's files gives it.
void expect_same(const ServiceStatus &a, const ServiceStatus &b) {
    EXPECT_EQ(a.exists, b.exists);
    EXPECT_EQ(a.supervised, b.supervised);
    EXPECT_EQ(a.up, b.up);
    EXPECT_EQ(a.ready, b.ready);
    EXPECT_EQ(a.want_up, b.want_up);
    EXPECT_EQ(a.normally_up, b.normally_up);
    EXPECT_EQ(a.finishing, b.finishing);
    EXPECT_EQ(a.died, b.died);
    EXPECT_EQ(a.pid, b.pid);
    EXPECT_EQ(a.since_ns, b.since_ns);
    EXPECT_EQ(a.ready_since_ns, b.ready_since_ns);
    EXPECT_EQ(a.last_exit_code, b.last_exit_code);
    EXPECT_EQ(a.last_signal, b.last_signal);
    EXPECT_EQ(a.restart_count, b.restart_count);
}

TEST(StatusCacheOnS6, a_settled_service_is_observed_without_reading_s6) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-a")).ok());
    const ServiceStatus kept = watched.settled("cache-a");
    const uint64_t reads = watched.client().status_reads();
    for (int i = 0; i < 1000; ++i) watched.observe("cache-a");
    EXPECT_EQ(watched.client().status_reads(), reads) << "1000 observes of a settled service";
    EXPECT_EQ(watched.client().status_cache().kept_count(), 1u);
    // What memory says is what s6's files say: a client without a watch reads them.
    S6Client reader(sandbox.options());
    auto fresh = reader.observe("cache-a");
    ASSERT_TRUE(fresh.ok());
    expect_same(kept, fresh.value());
    EXPECT_EQ(reader.status_reads(), 1u);
}

TEST(StatusCacheOnS6, a_killed_process_shows_at_once) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-kill")).ok());
    const ServiceStatus before = watched.settled("cache-kill");
    ASSERT_EQ(::kill(static_cast<pid_t>(before.pid), SIGKILL), 0);
    ServiceStatus after;
    EXPECT_TRUE(wait_until([&] {
        after = watched.observe("cache-kill");
        return after.restart_count > before.restart_count;
    })) << "the death was not seen; pid "
        << after.pid;
    EXPECT_TRUE(after.died);
    EXPECT_EQ(after.last_signal, SIGKILL);
    // s6 starts it again: a new pid, seen too.
    EXPECT_TRUE(wait_until([&] {
        after = watched.observe("cache-kill");
        return after.up && after.pid != before.pid;
    }));
}

TEST(StatusCacheOnS6, a_down_file_made_or_removed_by_hand_shows_at_once) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-down")).ok());
    ASSERT_TRUE(watched.settled("cache-down").normally_up);
    const fs::path down = watched.client().service_dir("cache-down") / "down";
    std::ofstream(down).close();
    EXPECT_TRUE(wait_until([&] { return !watched.observe("cache-down").normally_up; }));
    fs::rename(down, down.string() + ".kept");  // renamed away, not deleted
    EXPECT_TRUE(wait_until([&] { return watched.observe("cache-down").normally_up; }));
}

TEST(StatusCacheOnS6, a_command_shows_in_the_next_observe) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-cmd")).ok());
    watched.settled("cache-cmd");
    ASSERT_TRUE(watched.client().control("cache-cmd", ServiceCommand::stop_persist).ok());
    // No waiting for the watch: the client dropped what it kept itself.
    const ServiceStatus stopped = watched.observe("cache-cmd");
    EXPECT_FALSE(stopped.up);
    EXPECT_FALSE(stopped.want_up);
    EXPECT_FALSE(stopped.normally_up);
}

TEST(StatusCacheOnS6, a_supervisor_killed_under_s6_svscan_is_seen_and_its_successor_too) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-sv")).ok());
    const ServiceStatus before = watched.settled("cache-sv");
    const fs::path lock = watched.client().service_dir("cache-sv") / "supervise" / "lock";
    const auto supervisor = lock_holder(lock);
    ASSERT_TRUE(supervisor.has_value());
    ASSERT_EQ(::kill(*supervisor, SIGKILL), 0);
    // s6-svscan starts another, which starts the service anew (its guard
    // ends the process the dead one left): a new pid under a new supervisor.
    ServiceStatus after;
    EXPECT_TRUE(wait_until([&] {
        after = watched.observe("cache-sv");
        const auto now = lock_holder(lock);
        return after.up && after.supervised && after.pid != before.pid && now &&
               *now != *supervisor;
    })) << "pid "
        << after.pid << ", supervised " << after.supervised;
}

// Without s6-svscan nothing replaces a dead s6-supervise, and nothing
// rewrites the status file: what tells the watch is the kernel closing
// supervise/lock, which s6-supervise holds open for writing
// (s6-supervise.c opens it O_WRONLY | O_CREAT and never closes it).
TEST(StatusCacheOnS6, a_supervisor_killed_without_s6_svscan_shows_as_unsupervised) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    Watched watched(sandbox);
    (void)watched.client().create(sleeper("cache-alone"));  // in place; nobody starts it
    ASSERT_TRUE(fs::exists(watched.client().service_dir("cache-alone") / "run"));
    const std::string dir = watched.client().service_dir("cache-alone").string();
    const std::string program = (S6Paths{}.s6_bin / "s6-supervise").string();
    std::vector<char *> argv = {const_cast<char *>("s6-supervise"), const_cast<char *>(dir.c_str()),
                                nullptr};
    pid_t supervisor = 0;
    ASSERT_EQ(::posix_spawn(&supervisor, program.c_str(), nullptr, nullptr, argv.data(), environ),
              0);
    struct Reaper {
        pid_t pid;
        ~Reaper() {
            if (warden::test::signal_process(pid, SIGKILL)) ::waitpid(pid, nullptr, 0);
        }
    } reaper{supervisor};

    watched.settled("cache-alone");
    ASSERT_EQ(lock_holder(watched.client().service_dir("cache-alone") / "supervise" / "lock"),
              supervisor);
    ASSERT_EQ(::kill(supervisor, SIGKILL), 0);
    ASSERT_EQ(::waitpid(supervisor, nullptr, 0), supervisor);
    reaper.pid = 0;
    ServiceStatus after;
    EXPECT_TRUE(wait_until([&] {
        after = watched.observe("cache-alone");
        return !after.supervised;
    })) << "the dead supervisor was not seen: its status was kept";
    EXPECT_TRUE(after.up) << "the last status written said up: stale, and said so";
}

TEST(StatusCacheOnS6, a_service_removed_and_made_again_is_watched_again) {
    S6Sandbox sandbox;
    Watched watched(sandbox);
    ASSERT_TRUE(watched.client().create(sleeper("cache-again")).ok());
    const ServiceStatus first = watched.settled("cache-again");
    ASSERT_TRUE(watched.client().remove("cache-again").ok());
    EXPECT_FALSE(watched.observe("cache-again").exists) << "no waiting for the watch";
    ASSERT_TRUE(watched.client().create(sleeper("cache-again")).ok());
    const ServiceStatus second = watched.settled("cache-again");
    EXPECT_NE(second.pid, first.pid);
    const uint64_t reads = watched.client().status_reads();
    for (int i = 0; i < 100; ++i) watched.observe("cache-again");
    EXPECT_EQ(watched.client().status_reads(), reads);
}

}  // namespace
}  // namespace warden::host
