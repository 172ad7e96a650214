// SPDX-License-Identifier: Apache-2.0
// tests/integration/s6_client_test.cpp — the S6Client against a real
// s6-svscan, s6-supervise and s6-log, with real processes (the service
// fixture). No mock of s6 anywhere.
#include "s6/s6_client.hpp"
#include "s6/run_script.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
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
using warden::test::wait_until;

ServiceSpec fixture(const std::string &name, std::vector<std::string> args) {
    ServiceSpec spec;
    spec.name = name;
    spec.argv = {paths::service_fixture};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    return spec;
}

class S6ClientTest : public ::testing::Test {
protected:
    // Waits until `name` is up (supervised, with a pid); returns its status.
    ServiceStatus wait_up(const std::string &name) {
        ServiceStatus status;
        const bool up = wait_until([&] {
            auto observed = client_.observe(name);
            if (observed) status = observed.value();
            return observed && status.up && status.supervised;
        });
        EXPECT_TRUE(up) << name << " did not come up: exists " << status.exists << ", supervised "
                        << status.supervised << ", want up " << status.want_up << "\n"
                        << sandbox_.svscan_output();
        return status;
    }
    ServiceStatus observe(const std::string &name) {
        auto status = client_.observe(name);
        EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
        return status.ok() ? status.value() : ServiceStatus{};
    }
    void create(const ServiceSpec &spec, CreateOutcome expected = CreateOutcome::created) {
        auto created = client_.create(spec);
        ASSERT_TRUE(created.ok()) << created.error().message;
        EXPECT_EQ(created.value(), expected);
    }
    std::string log_of(const std::string &name) {
        const fs::path current = client_.log_dir(name) / "current";
        return fs::exists(current) ? read_file(current) : "";
    }

    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
};

TEST_F(S6ClientTest, creates_a_service_whose_process_runs_under_s6) {
    create(fixture("svc-a", {"say", "hello"}));
    const ServiceStatus status = wait_up("svc-a");
    EXPECT_TRUE(status.exists);
    EXPECT_TRUE(status.want_up);
    EXPECT_TRUE(status.normally_up);
    EXPECT_FALSE(status.ready) << "no notification fd: never ready";
    EXPECT_FALSE(status.died);
    EXPECT_TRUE(process_alive(static_cast<pid_t>(status.pid)));
    // The run script execs into the program: same pid, new command line.
    const std::string expected =
        std::string(paths::service_fixture) + '\0' + "say" + '\0' + "hello" + '\0';
    std::string cmdline;
    EXPECT_TRUE(wait_until([&] {
        cmdline = read_file("/proc/" + std::to_string(status.pid) + "/cmdline");
        return cmdline == expected;
    })) << cmdline;
    // stdout and stderr go through s6-log into the service's log directory.
    EXPECT_TRUE(wait_until([&] {
        const std::string log = log_of("svc-a");
        return log.find("hello\n") != std::string::npos &&
               log.find("hello (stderr)") != std::string::npos;
    })) << log_of("svc-a");
    EXPECT_TRUE(fs::exists(client_.service_dir("svc-a") / ".warden-manifest"));
    EXPECT_TRUE(fs::is_directory(client_.service_dir("svc-a") / "log" / "supervise"));
}

// Nothing of the environment of whoever started s6-svscan (or the host)
// reaches a service: it has PATH and its own variables, exactly.
TEST_F(S6ClientTest, passes_arguments_and_environment_byte_for_byte) {
    const fs::path out = sandbox_.root() / "record";
    fs::create_directories(out);
    const std::vector<std::string> tricky = {"two words",
                                             "\"double\" 'single'",
                                             "$HOME ${PATH} $(id)",
                                             "back\\slash\\",
                                             "new\nline",
                                             "caf\xc3\xa9 \xff\x01",
                                             "",
                                             "-x",
                                             "{",
                                             "}",
                                             "# not a comment",
                                             ";"};
    std::vector<std::string> args = {"record", out.string()};
    args.insert(args.end(), tricky.begin(), tricky.end());
    ServiceSpec spec = fixture("svc-args", args);
    spec.env = {"PLAIN=value",      "SPACED=a b  c",      "QUOTES=\"x\" 'y'", "DOLLAR=$HOME",
                "NEWLINE=one\ntwo", "BYTES=\xc3\xa9\xfe", "EMPTY=",           "EQUALS=a=b=c"};
    spec.working_dir = out.string();
    create(spec);
    ASSERT_TRUE(wait_until([&] { return fs::exists(out / "argv"); })) << sandbox_.svscan_output();

    std::string expected_argv = std::string(paths::service_fixture) + '\0';
    for (const auto &a : args) expected_argv += a + '\0';
    EXPECT_EQ(read_file(out / "argv"), expected_argv);

    const std::string env = read_file(out / "env");
    std::vector<std::string> entries;
    for (std::size_t start = 0; start < env.size();) {
        const std::size_t end = env.find('\0', start);
        entries.push_back(env.substr(start, end - start));
        start = end + 1;
    }
    std::vector<std::string> expected_env = spec.env;
    expected_env.push_back(std::string("PATH=") + kServicePath);
    std::sort(entries.begin(), entries.end());
    std::sort(expected_env.begin(), expected_env.end());
    EXPECT_EQ(entries, expected_env);
    const fs::path cwd =
        fs::read_symlink("/proc/" + std::to_string(observe("svc-args").pid) + "/cwd");
    EXPECT_EQ(cwd, fs::canonical(out));
}

// A spec with a user and group (set by the host only when it runs as root):
// s6-envuidgid and s6-applyuidgid switch the process, whose environment is
// still exactly PATH and the spec's own (its UID and GIDLIST included).
TEST_F(S6ClientTest, runs_the_process_as_the_specs_user_and_group_with_its_own_environment) {
    if (::geteuid() != 0) GTEST_SKIP() << "running a service as another user needs root";
    // The service reaches its directory and writes its record as nobody.
    fs::permissions(sandbox_.root(), fs::perms(0755));
    const fs::path out = sandbox_.root() / "record";
    fs::create_directories(out);
    fs::permissions(out, fs::perms(0777));
    ServiceSpec spec = fixture("svc-nobody", {"record", out.string()});
    spec.env = {"UID=mine", "GIDLIST=kept"};
    spec.working_dir = out.string();
    spec.user = "nobody";
    spec.group = "nogroup";
    create(spec);
    ASSERT_TRUE(wait_until([&] { return fs::exists(out / "argv"); })) << sandbox_.svscan_output();
    std::string status;
    {
        std::ifstream in("/proc/" + std::to_string(observe("svc-nobody").pid) + "/status");
        status.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    EXPECT_NE(status.find("\nUid:\t65534\t65534\t65534\t65534\n"), std::string::npos) << status;
    EXPECT_NE(status.find("\nGid:\t65534\t65534\t65534\t65534\n"), std::string::npos) << status;
    EXPECT_EQ(read_file(out / "env"), "PATH=" + std::string(kServicePath) + '\0' + "UID=mine" +
                                          '\0' + "GIDLIST=kept" + '\0');
    struct stat record {};
    ASSERT_EQ(::stat((out / "argv").c_str(), &record), 0);
    EXPECT_EQ(record.st_uid, 65534u) << "written by the service itself";
}

TEST_F(S6ClientTest, reports_the_exit_code_of_a_process_that_exits) {
    create(fixture("svc-exit", {"exit", "3"}));
    ServiceStatus status;
    ASSERT_TRUE(wait_until([&] {
        status = observe("svc-exit");
        return status.died;
    })) << sandbox_.svscan_output();
    EXPECT_EQ(status.last_exit_code, 3);
    EXPECT_EQ(status.last_signal, 0);
    EXPECT_GE(status.restart_count, 1u);
    EXPECT_TRUE(status.want_up) << "s6 keeps restarting it";
    // s6 restarts it about once a second; the count grows.
    EXPECT_TRUE(wait_until([&] { return observe("svc-exit").restart_count >= 2; }));
}

TEST_F(S6ClientTest, reports_the_signal_that_killed_a_process) {
    create(fixture("svc-kill", {"say", "x"}));
    const pid_t pid = static_cast<pid_t>(wait_up("svc-kill").pid);
    ASSERT_TRUE(client_.control("svc-kill", ServiceCommand::signal, SIGKILL).ok());
    ServiceStatus status;
    ASSERT_TRUE(wait_until([&] {
        status = observe("svc-kill");
        return status.died && status.last_signal == SIGKILL;
    }));
    EXPECT_EQ(status.restart_count, 1u);
    EXPECT_FALSE(process_alive(pid));
    EXPECT_NE(wait_up("svc-kill").pid, pid) << "s6 started it again";
}

TEST_F(S6ClientTest, reports_readiness_from_the_notification_fd) {
    ServiceSpec spec = fixture("svc-ready", {"ready", "3", "300"});
    spec.notification_fd = 3;
    create(spec);
    const ServiceStatus up = wait_up("svc-ready");
    ServiceStatus ready;
    ASSERT_TRUE(wait_until([&] {
        ready = observe("svc-ready");
        return ready.ready;
    }));
    EXPECT_EQ(ready.pid, up.pid);
    EXPECT_GE(ready.ready_since_ns, ready.since_ns);
    EXPECT_GE(ready.ready_since_ns - ready.since_ns, 250'000'000) << "it notified after 300 ms";
}

TEST_F(S6ClientTest, stop_ends_the_process_and_the_children_it_forked) {
    const fs::path out = sandbox_.root() / "fork";
    fs::create_directories(out);
    create(fixture("svc-fork", {"fork", out.string()}));
    const pid_t pid = static_cast<pid_t>(wait_up("svc-fork").pid);
    ASSERT_TRUE(wait_until([&] { return fs::exists(out / "child"); }));
    const pid_t child = static_cast<pid_t>(std::stol(read_file(out / "child")));
    ASSERT_TRUE(process_alive(child));

    auto stopped = client_.control("svc-fork", ServiceCommand::stop);
    ASSERT_TRUE(stopped.ok()) << stopped.error().message;
    EXPECT_FALSE(process_alive(pid));
    EXPECT_TRUE(wait_until([&] { return !process_alive(child); })) << "the forked child survived";
    const ServiceStatus status = observe("svc-fork");
    EXPECT_FALSE(status.up);
    EXPECT_FALSE(status.want_up);
    EXPECT_TRUE(status.normally_up) << "a plain stop leaves no down file";
}

TEST_F(S6ClientTest, persistent_stop_and_start_follow_the_down_file) {
    create(fixture("svc-persist", {"say", "x"}));
    wait_up("svc-persist");
    ASSERT_TRUE(client_.control("svc-persist", ServiceCommand::stop_persist).ok());
    ServiceStatus status = observe("svc-persist");
    EXPECT_FALSE(status.up);
    EXPECT_FALSE(status.normally_up);
    EXPECT_TRUE(fs::exists(client_.service_dir("svc-persist") / "down"));
    ASSERT_TRUE(client_.control("svc-persist", ServiceCommand::start_persist).ok());
    status = wait_up("svc-persist");
    EXPECT_TRUE(status.normally_up);
    EXPECT_FALSE(fs::exists(client_.service_dir("svc-persist") / "down"));
}

TEST_F(S6ClientTest, a_service_created_down_does_not_start) {
    ServiceSpec spec = fixture("svc-down", {"say", "x"});
    spec.start_down = true;
    create(spec);
    ASSERT_TRUE(wait_until([&] { return observe("svc-down").supervised; }));
    const ServiceStatus status = observe("svc-down");
    EXPECT_FALSE(status.up);
    EXPECT_FALSE(status.want_up);
    EXPECT_FALSE(status.normally_up);
    ASSERT_TRUE(client_.control("svc-down", ServiceCommand::start).ok());
    wait_up("svc-down");
}

TEST_F(S6ClientTest, the_same_spec_again_leaves_the_process_alone) {
    const ServiceSpec spec = fixture("svc-same", {"say", "x"});
    create(spec);
    const ServiceStatus before = wait_up("svc-same");
    create(spec, CreateOutcome::unchanged);
    const ServiceStatus after = observe("svc-same");
    EXPECT_EQ(after.pid, before.pid);
    EXPECT_EQ(after.since_ns, before.since_ns);
}

TEST_F(S6ClientTest, a_changed_spec_updates_in_place_with_a_new_pid_and_old_logs_kept) {
    ServiceSpec spec = fixture("svc-update", {"say", "first version"});
    spec.files = {{"config.yaml", "version: 1\n", 0644}};
    create(spec);
    const pid_t first = static_cast<pid_t>(wait_up("svc-update").pid);
    ASSERT_TRUE(wait_until(
        [&] { return log_of("svc-update").find("first version") != std::string::npos; }));
    EXPECT_EQ(read_file(client_.service_dir("svc-update") / "data" / "config.yaml"),
              "version: 1\n");

    spec.argv = {paths::service_fixture, "say", "second version"};
    spec.files = {{"config.yaml", "version: 2\n", 0600}};
    create(spec, CreateOutcome::updated);
    ServiceStatus status;
    ASSERT_TRUE(wait_until([&] {
        status = observe("svc-update");
        return status.up && status.pid != first;
    }));
    EXPECT_FALSE(process_alive(first));
    EXPECT_EQ(read_file(client_.service_dir("svc-update") / "data" / "config.yaml"),
              "version: 2\n");
    EXPECT_EQ(fs::status(client_.service_dir("svc-update") / "data" / "config.yaml").permissions(),
              fs::perms::owner_read | fs::perms::owner_write);
    ASSERT_TRUE(wait_until(
        [&] { return log_of("svc-update").find("second version") != std::string::npos; }));
    EXPECT_NE(log_of("svc-update").find("first version"), std::string::npos)
        << "the old log lines are kept";
}

TEST_F(S6ClientTest, removal_leaves_no_process_no_supervisor_and_no_directory) {
    const fs::path out = sandbox_.root() / "fork";
    fs::create_directories(out);
    create(fixture("svc-gone", {"fork", out.string()}));
    const pid_t pid = static_cast<pid_t>(wait_up("svc-gone").pid);
    ASSERT_TRUE(wait_until([&] { return fs::exists(out / "child"); }));
    const pid_t child = static_cast<pid_t>(std::stol(read_file(out / "child")));
    const std::vector<pid_t> before = sandbox_.processes();

    auto removed = client_.remove("svc-gone");
    ASSERT_TRUE(removed.ok()) << removed.error().message;
    EXPECT_FALSE(process_alive(pid));
    EXPECT_TRUE(wait_until([&] { return !process_alive(child); }));
    EXPECT_FALSE(fs::exists(client_.service_dir("svc-gone")));
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ".removing-svc-gone"));
    for (const pid_t p : before) {
        if (p == sandbox_.svscan_pid() || p == sandbox_.svscan_logger_pid()) continue;
        EXPECT_FALSE(process_alive(p)) << "pid " << p << " survived";
    }
    EXPECT_FALSE(observe("svc-gone").exists);
    EXPECT_TRUE(fs::is_directory(client_.log_dir("svc-gone"))) << "logs are kept by default";

    EXPECT_TRUE(client_.remove("svc-gone").ok()) << "removing twice succeeds";
    EXPECT_TRUE(client_.remove("svc-gone", /*delete_logs=*/true).ok());
    EXPECT_FALSE(fs::exists(client_.log_dir("svc-gone")));
}

TEST_F(S6ClientTest, finishes_a_removal_and_clears_a_create_that_were_interrupted) {
    create(fixture("svc-half", {"say", "x"}));
    const pid_t pid = static_cast<pid_t>(wait_up("svc-half").pid);
    // As if a host died right after moving the service out of the scan dir.
    fs::rename(client_.service_dir("svc-half"), sandbox_.scan_dir() / ".removing-svc-half");
    ASSERT_TRUE(rescan(sandbox_.scan_dir(), /*prune=*/true).ok());
    // And a create that died half way, before its rename into place.
    fs::create_directories(sandbox_.scan_dir() / ".svc-half.new-12345-0" / "log");
    auto removed = client_.remove("svc-half");
    ASSERT_TRUE(removed.ok()) << removed.error().message;
    EXPECT_FALSE(process_alive(pid));
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ".removing-svc-half"));
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ".svc-half.new-12345-0"));
}

TEST_F(S6ClientTest, another_client_adopts_the_services_as_they_are) {
    const ServiceSpec spec = fixture("svc-adopt", {"say", "x"});
    create(spec);
    const ServiceStatus first = wait_up("svc-adopt");

    S6Client restarted_host(sandbox_.options());
    auto listed = restarted_host.list("svc-");
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed.value(), (std::vector<std::string>{"svc-adopt"}));
    auto created = restarted_host.create(spec);
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_EQ(created.value(), CreateOutcome::unchanged);
    auto seen = restarted_host.observe("svc-adopt");
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->pid, first.pid);
    EXPECT_EQ(seen->since_ns, first.since_ns);
}

TEST_F(S6ClientTest, lists_services_by_prefix_and_skips_hidden_entries) {
    for (const char *name : {"exec-web", "exec-web-x", "exec-db", "benthos-web"})
        create(fixture(name, {"say", "x"}));
    fs::create_directories(sandbox_.scan_dir() / ".exec-web.new-1-1");
    auto listed = client_.list("exec-web");
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed.value(), (std::vector<std::string>{"exec-web", "exec-web-x"}));
    EXPECT_EQ(client_.list("").value().size(), 4u);
}

TEST_F(S6ClientTest, lists_every_directory_named_like_a_service_in_one_read) {
    for (const char *name : {"exec-web", "exec-db"}) create(fixture(name, {"say", "x"}));
    fs::create_directories(sandbox_.scan_dir() / "exec-handmade");
    fs::create_directories(sandbox_.scan_dir() / ".exec-web.new-1-1");
    std::ofstream(sandbox_.scan_dir() / "exec-file").close();
    auto listed = client_.list_directories("exec-");
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed.value(), (std::vector<std::string>{"exec-db", "exec-handmade", "exec-web"}));
    // What the status report does with them: observe refuses the one
    // Warden did not make.
    auto handmade = client_.observe("exec-handmade");
    ASSERT_FALSE(handmade.ok());
    EXPECT_NE(handmade.error().message.find("was not made by warden"), std::string::npos);
}

TEST_F(S6ClientTest, refuses_bad_names_and_quotes_them) {
    const std::vector<std::string> bad_names = {
        "",           "..",      "../etc",      "/etc/passwd",        "Upper",
        "with space", ".hidden", "-dash-first", std::string(65, 'a'), "new\nline"};
    for (const std::string &bad : bad_names) {
        auto observed = client_.observe(bad);
        ASSERT_FALSE(observed.ok()) << bad;
        EXPECT_EQ(observed.error().kind, ErrorKind::invalid_argument);
        EXPECT_EQ(observed.error().message.rfind("invalid service name '", 0), 0u)
            << observed.error().message;
        EXPECT_NE(observed.error().message.find("names are [a-z0-9][a-z0-9_-]{0,63}"),
                  std::string::npos);
        EXPECT_FALSE(client_.remove(bad).ok()) << bad;
        EXPECT_FALSE(client_.control(bad, ServiceCommand::start).ok()) << bad;
    }
    auto created = client_.create(fixture("../escape", {"say", "x"}));
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().message,
              "invalid service name '../escape': names are [a-z0-9][a-z0-9_-]{0,63}");
    EXPECT_FALSE(fs::exists(sandbox_.root() / "escape"));
}

TEST_F(S6ClientTest, says_nobody_supervises_a_service_when_no_supervisor_runs) {
    create(fixture("svc-orphan", {"say", "x"}));
    wait_up("svc-orphan");
    sandbox_.stop_svscan();
    const ServiceStatus stale = observe("svc-orphan");
    EXPECT_TRUE(stale.exists);
    EXPECT_FALSE(stale.supervised) << "the status file outlives its supervisor: it is stale";
    auto started = client_.control("svc-orphan", ServiceCommand::start);
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().kind, ErrorKind::not_supervised);
    EXPECT_NE(started.error().message.find("nobody supervises service svc-orphan"),
              std::string::npos)
        << started.error().message;
    auto missing = client_.control("svc-nothing", ServiceCommand::start);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(S6ClientTest, reports_stale_status_when_the_supervisor_died) {
    create(fixture("svc-stale", {"say", "x"}));
    const ServiceStatus up = wait_up("svc-stale");
    const auto supervisor = lock_holder(client_.service_dir("svc-stale") / "supervise" / "lock");
    ASSERT_TRUE(supervisor.has_value());
    ::kill(*supervisor, SIGQUIT);  // s6-supervise exits at once, leaving the service alone
    ASSERT_TRUE(wait_until([&] { return !observe("svc-stale").supervised; }));
    const ServiceStatus stale = observe("svc-stale");
    EXPECT_TRUE(stale.up) << "the last status written said up";
    EXPECT_EQ(stale.pid, up.pid);
    EXPECT_FALSE(stale.supervised);
}

TEST_F(S6ClientTest, refuses_a_scan_dir_that_does_not_exist) {
    S6Options options = sandbox_.options();
    options.scan_dir = sandbox_.root() / "no-such-scan";
    S6Client client(options);
    auto created = client.create(fixture("svc-x", {"say", "x"}));
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().message, "scan dir " + options.scan_dir.string() + " does not exist");
}

TEST_F(S6ClientTest, refuses_a_service_that_was_not_made_by_warden) {
    fs::create_directories(sandbox_.scan_dir() / "handmade");
    auto created = client_.create(fixture("handmade", {"say", "x"}));
    ASSERT_FALSE(created.ok());
    EXPECT_NE(created.error().message.find("was not made by warden"), std::string::npos);
}

// A full disk while writing a service: the error names the file and the
// cause, and nothing half-made is left where s6-svscan would see it.
// What a host that crashed half way through left behind: a removal (the
// service moved out of the scan dir, its process still running) and a create
// (a hidden build directory). The next host's start sweeps both.
TEST_F(S6ClientTest, sweep_leftovers_finishes_removals_and_clears_creates_a_crash_cut_short) {
    create(fixture("doomed", {"say", "x"}));
    const pid_t pid = static_cast<pid_t>(wait_up("doomed").pid);
    ASSERT_EQ(::rename((sandbox_.scan_dir() / "doomed").c_str(),
                       (sandbox_.scan_dir() / ".removing-doomed").c_str()),
              0);
    fs::create_directories(sandbox_.scan_dir() / ".half.new-1-0" / "log");
    create(fixture("bystander", {"say", "y"}));
    const pid_t bystander = static_cast<pid_t>(wait_up("bystander").pid);

    auto swept = client_.sweep_leftovers();
    ASSERT_TRUE(swept.ok()) << swept.error().message;
    EXPECT_EQ(swept.value(), (std::vector<std::string>{"doomed", "half"}));
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid); }));
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ".removing-doomed"));
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ".half.new-1-0"));
    EXPECT_EQ(observe("bystander").pid, bystander) << "other services are not touched";
}

TEST(S6ClientErrors, a_full_disk_leaves_no_half_made_service) {
    warden::test::TempDir dir("warden-full");
    const fs::path scan = dir / "scan";
    fs::create_directories(scan);
    if (::mount("tmpfs", scan.c_str(), "tmpfs", 0, "size=16k") != 0)
        GTEST_SKIP() << "cannot mount a small tmpfs here (needs root): " << std::strerror(errno);
    struct Unmount {
        fs::path path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount{scan};
    S6Client client(S6Options{scan, dir / "logs", S6Sandbox::s6_paths()});
    ServiceSpec spec = fixture("svc-big", {"say", "x"});
    spec.files = {{"big.bin", std::string(64 * 1024, 'x'), 0644}};
    auto created = client.create(spec);
    ASSERT_FALSE(created.ok());
    EXPECT_NE(created.error().message.find("No space left on device"), std::string::npos)
        << created.error().message;
    EXPECT_NE(created.error().message.find("big.bin"), std::string::npos)
        << created.error().message;
    for (const auto &entry : fs::directory_iterator(scan))
        ADD_FAILURE() << "left behind: " << entry.path();
}

// A scan dir the host's user may not write to (checked as user nobody).
TEST(S6ClientErrors, an_unwritable_scan_dir_names_the_path_and_the_cause) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to act as another user";
    warden::test::TempDir dir("warden-eacces");
    const fs::path scan = dir / "scan";
    fs::create_directories(scan);
    fs::permissions(dir.path(),
                    fs::perms::all & ~(fs::perms::group_write | fs::perms::others_write));
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(1);
        S6Client client(S6Options{scan, dir / "logs", S6Sandbox::s6_paths()});
        auto created = client.create(fixture("svc-x", {"say", "x"}));
        const std::string message = created ? "created" : created.error().message;
        (void)!::write(pipe_fds[1], message.data(), message.size());
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, n);
    ::close(pipe_fds[0]);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(message, "cannot write to scan dir " + scan.string() + ": Permission denied");
}

TEST(Svscan, starts_one_s6_svscan_and_finds_it_again) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    EXPECT_FALSE(svscan_pid(sandbox.scan_dir()).has_value());
    auto first = ensure_svscan(sandbox.scan_dir(), sandbox.svscan_log_dir(), S6Sandbox::s6_paths());
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->how, SvscanStart::How::started);
    EXPECT_TRUE(process_alive(first->pid));
    EXPECT_EQ(first->message, "s6-svscan pid " + std::to_string(first->pid) + " started on " +
                                  sandbox.scan_dir().string() + ", its output in " +
                                  sandbox.svscan_log_dir().string());
    auto again = ensure_svscan(sandbox.scan_dir(), sandbox.svscan_log_dir(), S6Sandbox::s6_paths());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->how, SvscanStart::How::already_running);
    EXPECT_EQ(again->pid, first->pid);
}

TEST(Svscan, names_a_missing_s6_svscan_binary) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    S6Paths missing = S6Sandbox::s6_paths();
    missing.s6_bin = "/nonexistent/s6";
    auto started = ensure_svscan(sandbox.scan_dir(), sandbox.svscan_log_dir(), missing);
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().message,
              "cannot start s6-svscan: cannot execute /nonexistent/s6/s6-svscan: No such file or "
              "directory");
}

TEST(Supervise, knows_a_process_by_its_start_time_not_only_its_pid) {
    const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const pid_t child = ::fork();
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    EXPECT_TRUE(started_at(child, now));
    EXPECT_FALSE(started_at(child, now - int64_t{3600} * 1'000'000'000))
        << "a pid reused since an old status was written is another process";
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_FALSE(started_at(child, now)) << "gone";
}

}  // namespace
}  // namespace warden::host
