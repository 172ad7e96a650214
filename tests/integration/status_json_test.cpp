// SPDX-License-Identifier: Apache-2.0
// tests/integration/status_json_test.cpp — `warden --status --json` as a
// program reads it: the real binary asking a real host on real s6, and
// what it prints when no host runs, when the status socket answers garbage
// or nothing, when it may not be reached, when the config file cannot be
// read, and when --json comes without --status. Each failure is one JSON
// object on stdout, the human message on stderr, and the table's exit
// status. Every wait has a deadline; the sandbox kills what the test
// started, by pid.
#include "host_run.hpp"

#include "common/unique_fd.hpp"
#include "status/status_socket.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <warden/plugin.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>

namespace warden::host {
namespace {

using nlohmann::json;
using warden::test::ProcessResult;

class StatusJsonRun : public HostRun {
protected:
    // `warden --config FILE --status --json`, with `before` put in front
    // (a program to run it through).
    ProcessResult ask(const std::vector<std::string> &before = {}) const {
        std::vector<std::string> argv = before;
        for (const std::string &word :
             {std::string(paths::warden_binary), std::string("--config"), config_file(),
              std::string("--status"), std::string("--json")})
            argv.push_back(word);
        return run_process(argv);
    }

    // Where the host keeps its status socket, as docs/status.md says.
    std::filesystem::path socket_path() const {
        return sandbox_.scan_dir() / ".warden" / "control";
    }

    // What `warden --status --json` printed on stdout: exactly one line,
    // one JSON document of the format; a discarded value when it is not.
    static json document(const ProcessResult &r) {
        EXPECT_FALSE(r.out.empty()) << r.describe();
        EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "not one line: " << r.describe();
        json doc = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
        EXPECT_TRUE(doc.is_object()) << r.describe();
        if (!doc.is_object()) return json(json::value_t::discarded);
        EXPECT_EQ(doc.value("format", ""), "warden-status") << r.out;
        EXPECT_EQ(doc.value("version", 0), 1) << r.out;
        return doc;
    }

    // A failure as the documentation promises: the exit status, one error
    // object on stdout and nothing else there, the same message on stderr.
    static void expect_failure(const ProcessResult &r, int exit_code, const std::string &kind,
                               const std::string &message) {
        EXPECT_EQ(r.exit_code, exit_code) << r.describe();
        json doc = document(r);
        ASSERT_TRUE(doc.is_object()) << r.describe();
        EXPECT_FALSE(doc.contains("host")) << r.out;
        EXPECT_FALSE(doc.contains("workers")) << r.out;
        ASSERT_TRUE(doc.contains("error")) << r.out;
        EXPECT_EQ(doc["error"].value("kind", ""), kind) << r.out;
        EXPECT_EQ(doc["error"].value("message", ""), message) << r.out;
        EXPECT_EQ(r.err, "warden: " + message + "\n") << r.describe();
    }

    // The worker called `name` in a report, or null.
    static json worker(const json &doc, const std::string &name) {
        if (!doc.is_object() || !doc.contains("workers")) return nullptr;
        for (const json &w : doc["workers"])
            if (w.value("name", "") == name) return w;
        return nullptr;
    }
};

TEST_F(StatusJsonRun, a_running_host_names_its_workers_with_their_states_and_services) {
    write_config(config(exec_worker("one") + exec_worker("idle", "[say, hi]", "stopped")));
    auto host = start();
    ASSERT_TRUE(logs(*host, "exec/one: starting -> running")) << host->err();

    // The stopped worker logs no change: wait until the report shows both
    // where their config asks, observed.
    json doc;
    ProcessResult last;
    const bool settled = wait_until(
        [&] {
            last = ask();
            if (last.exit_code != 0) return false;
            doc = json::parse(last.out, nullptr, /*allow_exceptions=*/false);
            for (const char *name : {"one", "idle"}) {
                json w = worker(doc, name);
                if (!w.is_object() || w["healthy"] != true || !w["observation"].is_object() ||
                    w["observation"]["at"].is_null())
                    return false;
            }
            return true;
        },
        30s);
    ASSERT_TRUE(settled) << last.describe() << host->err();
    EXPECT_EQ(last.err, "");
    doc = document(last);
    ASSERT_TRUE(doc.is_object());

    EXPECT_EQ(doc["host"]["pid"], host->pid());
    EXPECT_EQ(doc["host"]["config_file"], config_file());
    EXPECT_LE(doc["host"]["started"].get<int64_t>(), doc["generated_at"].get<int64_t>());
    EXPECT_LE(doc["host"]["config_loaded"].get<int64_t>(), doc["generated_at"].get<int64_t>());
    ASSERT_EQ(doc["workers"].size(), 2u) << doc.dump(2);

    const pid_t pid = pid_of("exec-one");
    ASSERT_NE(pid, 0);
    json one = worker(doc, "one");
    EXPECT_EQ(one["type"], "exec");
    EXPECT_EQ(one["state"], "running");
    EXPECT_EQ(one["phase"], WARDEN_PHASE_RUNNING_HEALTHY);
    EXPECT_EQ(one["phase_name"], "running-healthy");
    EXPECT_EQ(one["desired_state"], "running");
    EXPECT_NE(one["reason"].get<std::string>().find("process " + std::to_string(pid) + " up for"),
              std::string::npos)
        << one.dump(2);
    EXPECT_EQ(one["failure"], nullptr);
    // The last action: deploy, or start when s6 had not yet announced the
    // service's first status.
    EXPECT_TRUE(one["action"]["last"] == "deploy" || one["action"]["last"] == "start")
        << one.dump(2);
    EXPECT_EQ(one["action"]["last_status_name"], "ok");
    EXPECT_EQ(one["main_service"], "exec-one");
    ASSERT_EQ(one["services"].size(), 1u) << one.dump(2);
    json &service = one["services"][0];
    EXPECT_EQ(service["name"], "exec-one");
    EXPECT_EQ(service["state"], "up");
    EXPECT_EQ(service["supervised"], true);
    EXPECT_EQ(service["up"], true);
    EXPECT_EQ(service["pid"], pid);
    EXPECT_LE(service["since"].get<int64_t>(), doc["generated_at"].get<int64_t>());
    EXPECT_TRUE(one["observation"]["document"].is_object()) << one.dump(2);

    json idle = worker(doc, "idle");
    EXPECT_EQ(idle["state"], "stopped");
    EXPECT_EQ(idle["phase_name"], "stopped");
    EXPECT_EQ(idle["desired_state"], "stopped");
    for (json &s : idle["services"]) EXPECT_EQ(s["up"], false) << idle.dump(2);

    // The table says the same of it.
    const auto table = run_process({paths::warden_binary, "--config", config_file(), "--status"});
    ASSERT_EQ(table.exit_code, 0) << table.describe();
    EXPECT_NE(table.out.find("exec  one   running  running-healthy"), std::string::npos)
        << table.out;
    EXPECT_NE(table.out.find("  " + std::to_string(pid) + "  "), std::string::npos) << table.out;

    // Once the host is gone, nobody answers.
    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s)) << host->err();
    const std::string scan = sandbox_.scan_dir().string();
    expect_failure(
        ask(), 3, "no_host",
        "no host runs on scan dir " + scan + " (nothing listens on " + scan + "/.warden/control)");
}

TEST_F(StatusJsonRun, no_host_is_exit_three_and_a_json_error) {
    write_config(config(exec_worker("one")));
    const std::string scan = sandbox_.scan_dir().string();
    expect_failure(
        ask(), 3, "no_host",
        "no host runs on scan dir " + scan + " (nothing listens on " + scan + "/.warden/control)");
}

TEST_F(StatusJsonRun, a_socket_that_answers_garbage_is_exit_one_and_a_json_error) {
    write_config(config(exec_worker("one")));
    std::filesystem::create_directories(socket_path().parent_path());
    const std::string not_a_report =
        "the host on " + socket_path().string() + " sent something that is not a status report";
    for (const std::string &garbage :
         {std::string("hello\n"), std::string("\xff\xfe\x1b[2J\x00\n", 8),
          std::string("{\"host\":{\"pid\":\"one\"}}\n"),
          std::string("{\"host\":{\"pid\":1}}\n{\"type\":\"exec\",\"services\":7}\n"),
          std::string("{\"workers\":[]}\n")}) {
        auto server = StatusServer::start(socket_path(), [garbage](bool) { return garbage; });
        ASSERT_TRUE(server) << server.error().message;
        expect_failure(ask(), 1, "bad_answer", not_a_report);
    }
    // A host that closes without a word.
    auto silent = StatusServer::start(socket_path(), [](bool) { return std::string(); });
    ASSERT_TRUE(silent) << silent.error().message;
    expect_failure(ask(), 1, "request_failed",
                   "the host on " + socket_path().string() + " closed without an answer");
}

TEST_F(StatusJsonRun, a_socket_that_never_answers_is_exit_one_and_a_timeout_error) {
    write_config(config(exec_worker("one")));
    std::filesystem::create_directories(socket_path().parent_path());
    // Listening, never accepting: the connection waits in the backlog, the
    // request goes into its buffer, and no answer comes.
    UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(listener.fd, 0) << std::strerror(errno);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = socket_path().string();
    ASSERT_LT(path.size(), sizeof address.sun_path);
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    ASSERT_EQ(::bind(listener.fd, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0)
        << std::strerror(errno);
    ASSERT_EQ(::listen(listener.fd, 4), 0) << std::strerror(errno);

    const ProcessResult r = ask();
    expect_failure(r, 1, "timeout", "no answer from " + path + " within 5000 ms");
}

TEST_F(StatusJsonRun, a_socket_this_user_may_not_reach_is_exit_one_and_a_json_error) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root, to ask as another user (nobody)";
    const std::string setpriv = "/usr/bin/setpriv";
    if (!std::filesystem::exists(setpriv)) GTEST_SKIP() << setpriv << " is not there";
    const std::vector<std::string> as_nobody = {setpriv, "--reuid=65534", "--regid=65534",
                                                "--clear-groups", "--"};
    std::vector<std::string> version = as_nobody;
    version.push_back(paths::warden_binary);
    version.push_back("--version");
    const auto runs = run_process(version);
    if (runs.exit_code != 0)
        GTEST_SKIP() << "nobody cannot run " << paths::warden_binary << ": " << runs.describe();

    // As packaged: a scan dir anyone may enter, the host's state dir open
    // to its group only, the socket to its user and group.
    TempDir open_dir("warden-status-json");
    ASSERT_EQ(::chmod(open_dir.path().c_str(), 0755), 0) << std::strerror(errno);
    const std::filesystem::path scan = open_dir / "scan";
    std::filesystem::create_directories(scan / ".warden");
    ASSERT_EQ(::chmod(scan.c_str(), 0755), 0);
    ASSERT_EQ(::chmod((scan / ".warden").c_str(), 0750), 0);
    const std::filesystem::path socket = scan / ".warden" / "control";
    auto server = StatusServer::start(socket, [](bool) { return std::string("{\"host\":{}}\n"); });
    ASSERT_TRUE(server) << server.error().message;
    const std::filesystem::path config = open_dir / "warden.yaml";
    write_file(config, "scan_dir: " + scan.string() + "\n");
    ASSERT_EQ(::chmod(config.c_str(), 0644), 0);
    std::vector<std::string> cat = as_nobody;
    cat.push_back("/bin/cat");
    cat.push_back(config.string());
    if (const auto read = run_process(cat); read.exit_code != 0)
        GTEST_SKIP() << "nobody cannot read " << config << " under $TMPDIR: " << read.describe();

    std::vector<std::string> argv = as_nobody;
    for (const std::string &word :
         {std::string(paths::warden_binary), std::string("--config"), config.string(),
          std::string("--status"), std::string("--json")})
        argv.push_back(word);
    expect_failure(run_process(argv), 1, "permission_denied",
                   "cannot connect to " + socket.string() + ": Permission denied");
}

TEST_F(StatusJsonRun, a_config_file_that_cannot_be_read_is_exit_one_and_a_json_error) {
    const std::string missing = (dir_ / "missing.yaml").string();
    const auto r = run_process({paths::warden_binary, "--config", missing, "--status", "--json"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    json doc = document(r);
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["error"]["kind"], "config") << r.out;
    const std::string message = doc["error"]["message"];
    EXPECT_NE(message.find(missing), std::string::npos) << message;
    EXPECT_EQ(r.err, "warden: " + message + "\n");
}

TEST_F(StatusJsonRun, json_without_status_is_a_usage_error) {
    write_config(config(exec_worker("one")));
    for (const std::vector<std::string> &args :
         {std::vector<std::string>{"--json"},
          {"--config", config_file(), "--json"},
          {"--config", config_file(), "--check-config", "--json"},
          {"--list-plugins", "--json"}}) {
        std::vector<std::string> argv = {paths::warden_binary};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = run_process(argv);
        EXPECT_EQ(r.exit_code, 2) << r.describe();
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err,
                  "warden: --json goes only with --status\n"
                  "Try 'warden --help' for more information.\n");
    }
}

}  // namespace
}  // namespace warden::host
