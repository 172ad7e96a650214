// SPDX-License-Identifier: Apache-2.0
// tests/integration/host_slots_test.cpp — the host services ABI 1.2 added,
// called through the table as a plugin calls them, with a worker context
// like the one the supervisor makes: http_probe (PUT from ABI 1.3) against
// a real HTTP server in the test, command_run with real processes,
// service_log_read on a real s6 service and its s6-log, port_reserve on the
// worker's registry.
#include "net/port_registry.hpp"
#include "plugin_services/handles.hpp"
#include "plugin_services/host_services.hpp"
#include "plugin_services/service_gate.hpp"
#include "s6/s6_client.hpp"

#include "log_capture.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace warden::host {
namespace {

using namespace std::chrono_literals;
using warden::test::LogCapture;
using warden::test::process_alive;
using warden::test::S6Sandbox;
using warden::test::TempDir;
using warden::test::wait_until;
using Clock = std::chrono::steady_clock;

const warden_host_services &host() {
    return *host_services();
}

warden_str s(const std::string &text) {
    return warden_str{text.data(), text.size()};
}

void append_to(void *user, warden_str data) {
    static_cast<std::string *>(user)->append(data.ptr, data.len);
}

void push_to(void *user, warden_str data) {
    static_cast<std::vector<std::string> *>(user)->emplace_back(data.ptr, data.len);
}

std::string last_error() {
    std::string text;
    host().last_service_error(nullptr, append_to, &text);
    return text;
}

long long ms_since(Clock::time_point started) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
}

// An HTTP server on 127.0.0.1 in the test process. /slow answers only once
// the test calls release() (or after 20 s). It closes each connection after
// its answer: a kept-alive one would hold its stop() for the server's idle
// timeout.
class TestServer {
public:
    TestServer() {
        server_.set_tcp_nodelay(true);
        server_.set_keep_alive_max_count(1);
        server_.Get("/ready", [](const httplib::Request &, httplib::Response &res) {
            res.set_content("ready\n", "text/plain");
        });
        server_.Get("/down", [](const httplib::Request &, httplib::Response &res) {
            res.status = 503;
            res.set_content("input not connected", "text/plain");
        });
        server_.Post("/echo", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(req.get_header_value("Content-Type") + "|" + req.body, "text/plain");
        });
        // Says what reached it: method, content type, Expect header, body.
        server_.Put("/echo", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(req.method + "|" + req.get_header_value("Content-Type") + "|" +
                                req.get_header_value("Expect") + "|" + req.body,
                            "text/plain");
        });
        server_.Get("/slow", [this](const httplib::Request &, httplib::Response &res) {
            std::unique_lock<std::mutex> lock(mutex_);
            released_.wait_for(lock, 20s, [this] { return release_; });
            res.set_content("late", "text/plain");
        });
        port_ = static_cast<uint32_t>(server_.bind_to_any_port("127.0.0.1"));
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~TestServer() {
        release();
        server_.stop();
        thread_.join();
    }
    uint32_t port() const { return port_; }
    void release() {
        std::lock_guard<std::mutex> lock(mutex_);
        release_ = true;
        released_.notify_all();
    }

private:
    httplib::Server server_;
    uint32_t port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable released_;
    bool release_ = false;
};

// A port bound on 127.0.0.1 with nobody listening: connections to it are
// refused for as long as the test holds it.
class RefusingPort {
public:
    RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        ::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address);
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &size);
        port_ = ntohs(address.sin_port);
    }
    ~RefusingPort() { ::close(fd_); }
    uint32_t port() const { return port_; }

private:
    int fd_;
    uint32_t port_ = 0;
};

class HostSlots : public ::testing::Test {
protected:
    HostSlots() { gate_.attach("exec", "web"); }
    ~HostSlots() override { gate_.detach("exec", "web"); }

    // What an HTTP probe answered.
    struct Answer {
        warden_status status;
        int code = 0;
        std::string body;
        std::string error;
    };
    // Probes as worker exec/web, which first reserves `port` (a worker
    // probes only the ports it holds), unless `reserve` is false.
    Answer probe(const std::string &method, uint32_t port, const std::string &path,
                 const std::string &body = "", const std::string &content_type = "",
                 uint32_t timeout_ms = 0, bool reserve = true) {
        uint32_t held = 0;
        if (reserve && port >= 1 && port <= 65535) {
            EXPECT_EQ(host().port_reserve(&web_, s(std::string("http")), port, &held), WARDEN_OK)
                << last_error();
        }
        warden_http_request request = WARDEN_INIT(warden_http_request);
        request.method = s(method);
        request.port = port;
        request.path = s(path);
        request.body = s(body);
        request.content_type = s(content_type);
        request.timeout_ms = timeout_ms;
        warden_http_response response = WARDEN_INIT(warden_http_response);
        Answer answer{};
        answer.status = host().http_probe(&web_, &request, &response, append_to, &answer.body);
        answer.code = response.status_code;
        answer.error = last_error();
        return answer;
    }

    // What a command did.
    struct Ran {
        warden_status status;
        warden_command_result result = WARDEN_INIT(warden_command_result);
        std::string output;
        std::string error;
    };
    Ran run(const std::vector<std::string> &argv, uint32_t timeout_ms = 0,
            const std::vector<std::pair<std::string, std::string>> &files = {},
            const warden_cancel *cancel = nullptr) {
        std::vector<warden_str> args;
        for (const std::string &arg : argv) args.push_back(s(arg));
        std::vector<warden_service_file> file_structs;
        for (const auto &[path, content] : files) {
            warden_service_file file = WARDEN_INIT(warden_service_file);
            file.path = s(path);
            file.content = s(content);
            file_structs.push_back(file);
        }
        std::vector<const warden_service_file *> file_pointers;
        for (const auto &file : file_structs) file_pointers.push_back(&file);
        warden_command command = WARDEN_INIT(warden_command);
        command.argv = args.data();
        command.argc = args.size();
        command.files = file_pointers.data();
        command.file_count = file_pointers.size();
        command.timeout_ms = timeout_ms;
        Ran ran{};
        ran.status =
            host().command_run(&web_, &command, cancel, &ran.result, append_to, &ran.output);
        ran.error = last_error();
        return ran;
    }

    LogCapture log_;
    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
    PortRegistry ports_;
    ServiceGate gate_{client_, &ports_};
    warden_host_ctx web_{"exec/web", "exec", "web", &gate_, &ports_};
};

TEST_F(HostSlots, the_table_speaks_abi_1_5_and_offers_every_abi_1_2_to_1_5_slot) {
    EXPECT_EQ(host().abi_version, WARDEN_MAKE_ABI_VERSION(1, 5));
    EXPECT_TRUE(WARDEN_HAS_FIELD(&host(), warden_host_services, command_run));
    EXPECT_NE(host().http_probe, nullptr);
    EXPECT_NE(host().port_reserve, nullptr);
    EXPECT_NE(host().service_log_read, nullptr);
    EXPECT_NE(host().command_run, nullptr);
    EXPECT_TRUE(WARDEN_HAS_FIELD(&host(), warden_host_services, service_account));
    EXPECT_NE(host().service_account, nullptr);
    EXPECT_TRUE(WARDEN_HAS_FIELD(&host(), warden_host_services, figure_publish));
    EXPECT_NE(host().figure_publish, nullptr);
}

TEST_F(HostSlots, http_probe_gets_and_posts_and_hands_over_the_body) {
    TestServer server;
    const Answer ready = probe("GET", server.port(), "/ready");
    ASSERT_EQ(ready.status, WARDEN_OK) << ready.error;
    EXPECT_EQ(ready.code, 200);
    EXPECT_EQ(ready.body, "ready\n");

    const Answer posted =
        probe("POST", server.port(), "/echo", R"({"query":"{__typename}"})", "application/json");
    ASSERT_EQ(posted.status, WARDEN_OK) << posted.error;
    EXPECT_EQ(posted.code, 200);
    EXPECT_EQ(posted.body, R"(application/json|{"query":"{__typename}"})");

    const Answer empty = probe("POST", server.port(), "/echo");
    ASSERT_EQ(empty.status, WARDEN_OK) << empty.error;
    EXPECT_EQ(empty.body, "|") << "an empty POST sends no body and no content type";

    const Answer defaulted = probe("", server.port(), "/ready");  // empty method: GET
    EXPECT_EQ(defaulted.status, WARDEN_OK) << defaulted.error;
    EXPECT_EQ(log_.count("debug audit worker=exec/web operation=http_probe target=\"GET "
                         "127.0.0.1:" +
                         std::to_string(server.port()) +
                         "/ready\" result=200 body_bytes=6 "
                         "duration_us="),
              2)
        << log_.text();
}

// ABI 1.3: a PUT sends its body as a POST does (its content type, no
// "Expect: 100-continue" even past libcurl's 1 MiB threshold); the thread's
// handle goes back to GET and POST afterwards.
TEST_F(HostSlots, http_probe_puts_a_body_and_the_next_probes_are_not_puts) {
    TestServer server;
    const Answer put =
        probe("PUT", server.port(), "/echo", R"({"log_retention_ms":3600000})", "application/json");
    ASSERT_EQ(put.status, WARDEN_OK) << put.error;
    EXPECT_EQ(put.code, 200);
    EXPECT_EQ(put.body, R"(PUT|application/json||{"log_retention_ms":3600000})");
    EXPECT_EQ(log_.count("debug audit worker=exec/web operation=http_probe target=\"PUT "
                         "127.0.0.1:" +
                         std::to_string(server.port()) + "/echo\" result=200 body_bytes=" +
                         std::to_string(put.body.size()) + " duration_us="),
              1)
        << log_.text();

    const Answer empty = probe("PUT", server.port(), "/echo");
    ASSERT_EQ(empty.status, WARDEN_OK) << empty.error;
    EXPECT_EQ(empty.body, "PUT|||") << "an empty PUT sends no body and no content type";

    const std::string big(2 * 1024 * 1024, 'x');
    const Answer large = probe("PUT", server.port(), "/echo", big, "text/plain");
    ASSERT_EQ(large.status, WARDEN_OK) << large.error;
    EXPECT_EQ(large.body.size(), big.size() + 16);
    EXPECT_TRUE(large.body == "PUT|text/plain||" + big)
        << "what reached the server: " << large.body.substr(0, 40);

    const Answer get = probe("GET", server.port(), "/ready");
    ASSERT_EQ(get.status, WARDEN_OK) << get.error;
    EXPECT_EQ(get.code, 200) << "a GET after a PUT is a GET";
    EXPECT_EQ(get.body, "ready\n");
    probe("PUT", server.port(), "/echo", "{}", "application/json");
    const Answer post = probe("POST", server.port(), "/echo", "{}", "application/json");
    ASSERT_EQ(post.status, WARDEN_OK) << post.error;
    EXPECT_EQ(post.body, "application/json|{}") << "a POST after a PUT is a POST";
}

TEST_F(HostSlots, http_probe_answers_ok_for_a_5xx_with_its_body) {
    TestServer server;
    const Answer down = probe("GET", server.port(), "/down");
    ASSERT_EQ(down.status, WARDEN_OK) << down.error;
    EXPECT_EQ(down.code, 503);
    EXPECT_EQ(down.body, "input not connected");
    EXPECT_EQ(down.error, "");
}

TEST_F(HostSlots, http_probe_says_not_found_when_the_connection_is_refused) {
    const RefusingPort refusing;
    const Answer refused = probe("GET", refusing.port(), "/ready");
    EXPECT_EQ(refused.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(refused.error, "http GET 127.0.0.1:" + std::to_string(refusing.port()) +
                                 "/ready: connection refused");
    EXPECT_EQ(refused.body, "");
}

TEST_F(HostSlots, http_probe_times_out_on_a_server_that_does_not_answer) {
    TestServer server;
    auto started = Clock::now();
    const Answer slow = probe("GET", server.port(), "/slow", "", "", 300);
    EXPECT_EQ(slow.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(slow.error, "http GET 127.0.0.1:" + std::to_string(server.port()) +
                              "/slow: no answer within 300 ms");
    EXPECT_LT(ms_since(started), 5000);

    started = Clock::now();
    const Answer capped = probe("GET", server.port(), "/slow", "", "", 0);  // the default
    EXPECT_EQ(capped.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(capped.error, "http GET 127.0.0.1:" + std::to_string(server.port()) +
                                "/slow: no answer within 2000 ms");
    EXPECT_GE(ms_since(started), 1900);
    EXPECT_LT(ms_since(started), 10000);
    server.release();
    const Answer after = probe("GET", server.port(), "/ready");
    EXPECT_EQ(after.status, WARDEN_OK) << "the server works once released: " << after.error;
}

TEST_F(HostSlots, http_probe_reaches_only_ports_the_worker_holds) {
    TestServer server;
    const Answer other = probe("GET", server.port(), "/ready", "", "", 0, /*reserve=*/false);
    EXPECT_EQ(other.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(other.error, "http_probe: port " + std::to_string(server.port()) +
                               " is not reserved by worker exec/web; reserve it with port_reserve "
                               "first");
    EXPECT_EQ(probe("GET", server.port(), "/ready").status, WARDEN_OK);
}

TEST_F(HostSlots, http_probe_refuses_what_it_does_not_offer) {
    const Answer method = probe("DELETE", 80, "/x");
    EXPECT_EQ(method.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(method.error,
              "http DELETE 127.0.0.1:80/x: method 'DELETE' is not offered (GET, POST or PUT)");
    const Answer lower = probe("put", 80, "/x", "{}");
    EXPECT_EQ(lower.status, WARDEN_ERR_UNSUPPORTED) << "methods are case-sensitive";
    EXPECT_EQ(lower.error,
              "http put 127.0.0.1:80/x: method 'put' is not offered (GET, POST or PUT)");
    const Answer path = probe("GET", 80, "/a b");
    EXPECT_EQ(path.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(path.error,
              "http GET 127.0.0.1:80/a b: the path must begin with '/' and hold no "
              "spaces or control characters (at most 4096 bytes)");
    EXPECT_EQ(probe("GET", 80, "ready").status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(probe("GET", 0, "/ready").status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(probe("GET", 70000, "/ready").status, WARDEN_ERR_INVALID_ARGUMENT);
}

TEST_F(HostSlots, command_run_reports_the_exit_code_and_the_output) {
    const Ran ran = run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
    ASSERT_EQ(ran.status, WARDEN_OK) << ran.error;
    EXPECT_EQ(ran.result.exit_code, 3);
    EXPECT_EQ(ran.result.signal, 0);
    EXPECT_EQ(ran.output, "out\nerr\n");
    EXPECT_EQ(log_.count("debug audit worker=exec/web operation=command_run program=/bin/sh "
                         "result=\"exit 3\" output_bytes=8 duration_us="),
              1)
        << log_.text();
}

TEST_F(HostSlots, command_run_reports_the_signal_that_ended_it) {
    const Ran ran = run({"/bin/sh", "-c", "echo before; kill -TERM $$"});
    ASSERT_EQ(ran.status, WARDEN_OK) << ran.error;
    EXPECT_EQ(ran.result.signal, SIGTERM);
    EXPECT_EQ(ran.output, "before\n");
}

TEST_F(HostSlots, command_run_writes_the_files_into_a_private_working_dir_it_removes) {
    const Ran ran = run({"/bin/sh", "-c", "pwd; stat -c %a .; cat conf/app.yaml; cat top"}, 0,
                        {{"conf/app.yaml", "input: stdin\n"}, {"top", "at the top\n"}});
    ASSERT_EQ(ran.status, WARDEN_OK) << ran.error;
    ASSERT_EQ(ran.result.exit_code, 0) << ran.output;
    const std::string dir = ran.output.substr(0, ran.output.find('\n'));
    const char *tmpdir = std::getenv("TMPDIR");
    const std::string root = tmpdir != nullptr && tmpdir[0] == '/' ? tmpdir : "/tmp";
    EXPECT_EQ(dir.rfind(root + "/warden-command-", 0), 0u) << dir;
    EXPECT_EQ(ran.output, dir + "\n700\ninput: stdin\nat the top\n");
    EXPECT_FALSE(std::filesystem::exists(dir)) << dir << " was left behind";
}

TEST_F(HostSlots, command_run_kills_the_whole_process_group_when_it_times_out) {
    TempDir dir;
    const std::string pid_file = (dir / "grandchild").string();
    const auto started = Clock::now();
    const Ran ran =
        run({"/bin/sh", "-c", "sleep 1000 & echo $! > " + pid_file + "; echo waiting; wait"}, 300);
    EXPECT_EQ(ran.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(ran.error, "command /bin/sh: killed after its timeout of 300 ms");
    EXPECT_EQ(ran.result.signal, SIGKILL);
    EXPECT_EQ(ran.output, "waiting\n");
    EXPECT_LT(ms_since(started), 5000);
    const pid_t grandchild = std::stoi(warden::test::read_file(pid_file));
    EXPECT_TRUE(wait_until([&] { return !process_alive(grandchild); }, 5s))
        << "the grandchild " << grandchild << " outlived the timeout";
    EXPECT_EQ(log_.count("warning audit worker=exec/web operation=command_run program=/bin/sh "
                         "result=\"timeout\""),
              1)
        << log_.text();
}

TEST_F(HostSlots, command_run_stops_at_the_callers_deadline_and_when_cancelled) {
    warden_cancel deadline;
    deadline.deadline_ns = host().monotonic_ns() + 300'000'000;
    const Ran late = run({"/bin/sh", "-c", "exec sleep 1000"}, 0, {}, &deadline);
    EXPECT_EQ(late.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(late.error.rfind("command /bin/sh: killed at the calling hook's deadline, after ", 0),
              0u)
        << late.error;

    TempDir dir;
    const std::string started_file = (dir / "started").string();
    warden_cancel cancel;
    std::thread canceller([&] {
        wait_until([&] { return std::filesystem::exists(started_file); }, 10s);
        cancel.requested = true;
    });
    const auto started = Clock::now();
    const Ran cancelled =
        run({"/bin/sh", "-c", "touch " + started_file + "; exec sleep 1000"}, 30000, {}, &cancel);
    canceller.join();
    EXPECT_EQ(cancelled.status, WARDEN_ERR_CANCELLED);
    EXPECT_EQ(cancelled.error.rfind("command /bin/sh: cancelled by the host, killed after ", 0), 0u)
        << cancelled.error;
    EXPECT_EQ(cancelled.result.signal, SIGKILL);
    EXPECT_LT(ms_since(started), 10000);
}

TEST_F(HostSlots, command_run_says_not_found_for_a_program_that_cannot_run) {
    const Ran missing = run({"/nonexistent/checker", "--check"});
    EXPECT_EQ(missing.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(missing.error,
              "command /nonexistent/checker: cannot run it: No such file or directory");
    EXPECT_EQ(log_.count("warning audit worker=exec/web operation=command_run "
                         "program=/nonexistent/checker result=\"not found\""),
              1)
        << log_.text();

    const Ran relative = run({"sh", "-c", "true"});
    EXPECT_EQ(relative.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(relative.error, "command: argv[0] must be an absolute path to the program");
    const Ran escaping = run({"/bin/true"}, 0, {{"../outside", "x"}});
    EXPECT_EQ(escaping.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(escaping.error,
              "command: file path '../outside' must be relative, without '..', "
              "'.' or empty parts or control characters");
}

TEST_F(HostSlots, command_run_keeps_the_first_64_kib_of_a_long_output) {
    const Ran ran = run({"/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"});
    ASSERT_EQ(ran.status, WARDEN_OK) << ran.error;
    EXPECT_EQ(ran.result.exit_code, 0);
    EXPECT_EQ(ran.output, std::string(64 * 1024, 'x'));
    EXPECT_EQ(log_.count("output_bytes=200000"), 1) << log_.text();
}

// Host services are thread-safe: workers' threads run commands and probes
// at the same time, each getting its own answers.
TEST_F(HostSlots, commands_and_probes_from_many_threads_at_once_get_their_own_answers) {
    TestServer server;
    std::vector<std::thread> threads;
    std::vector<std::string> problems(8);
    for (std::size_t t = 0; t < problems.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                const std::string word = "thread" + std::to_string(t) + "run" + std::to_string(i);
                const Ran ran = run({"/bin/sh", "-c", "echo " + word});
                if (ran.status != WARDEN_OK || ran.output != word + "\n")
                    problems[t] += word + ": " + ran.error + " '" + ran.output + "'\n";
                const Answer answer = probe("GET", server.port(), "/ready");
                if (answer.status != WARDEN_OK || answer.body != "ready\n")
                    problems[t] += word + " probe: " + answer.error + "\n";
            }
        });
    for (std::thread &thread : threads) thread.join();
    for (const std::string &problem : problems) EXPECT_EQ(problem, "");
}

TEST_F(HostSlots, service_log_read_gives_the_last_lines_of_a_services_log_oldest_first) {
    const std::string sh = "/bin/sh", dash_c = "-c";
    const std::string script = "for i in 1 2 3 4 5; do echo line $i; done; exec sleep 1000";
    const std::vector<warden_str> argv = {s(sh), s(dash_c), s(script)};
    warden_service_spec spec = WARDEN_INIT(warden_service_spec);
    const std::string name = "exec-web-talker";
    spec.name = s(name);
    spec.argv = argv.data();
    spec.argc = argv.size();
    ASSERT_EQ(host().service_create(&web_, &spec), WARDEN_OK) << last_error();

    std::vector<std::string> lines;
    ASSERT_TRUE(wait_until([&] {
        lines.clear();
        return host().service_log_read(&web_, s(name), 0, push_to, &lines) == WARDEN_OK &&
               lines.size() == 5;
    })) << lines.size()
        << " lines";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string expected = " line " + std::to_string(i + 1);
        EXPECT_EQ(lines[i].substr(lines[i].size() - expected.size()), expected) << lines[i];
        EXPECT_GT(lines[i].size(), expected.size()) << "s6-log's timestamp is kept: " << lines[i];
    }

    const std::string audit =
        "debug audit worker=exec/web operation=log_read service=" + name + " result=ok";
    const int audited = log_.count(audit);
    std::vector<std::string> last_two;
    ASSERT_EQ(host().service_log_read(&web_, s(name), 2, push_to, &last_two), WARDEN_OK);
    EXPECT_EQ(last_two, (std::vector<std::string>{lines[3], lines[4]}));
    EXPECT_EQ(log_.count(audit), audited + 1) << log_.text();
}

TEST_F(HostSlots, service_log_read_refuses_a_name_outside_the_scope_and_finds_no_lines_yet) {
    std::vector<std::string> lines;
    EXPECT_EQ(host().service_log_read(&web_, s(std::string("exec-db")), 10, push_to, &lines),
              WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(last_error(),
              "service 'exec-db' is outside the scope of exec/web (exec-web, "
              "exec-web-*)");
    EXPECT_EQ(log_.count("warning audit worker=exec/web operation=log_read service=exec-db "
                         "result=\"not permitted\""),
              1)
        << log_.text();
    EXPECT_EQ(host().service_log_read(&web_, s(std::string("exec-web-never")), 10, push_to, &lines),
              WARDEN_OK)
        << last_error();
    EXPECT_TRUE(lines.empty());
}

TEST_F(HostSlots, port_reserve_gives_a_worker_its_port_and_refuses_a_taken_one) {
    uint32_t port = 0;
    ASSERT_EQ(host().port_reserve(&web_, s(std::string("http")), 0, &port), WARDEN_OK)
        << last_error();
    EXPECT_GE(port, 24000u);
    uint32_t again = 0;
    ASSERT_EQ(host().port_reserve(&web_, s(std::string("http")), 0, &again), WARDEN_OK);
    EXPECT_EQ(again, port);

    gate_.attach("exec", "api");
    warden_host_ctx api{"exec/api", "exec", "api", &gate_, &ports_};
    uint32_t taken = 0;
    EXPECT_EQ(host().port_reserve(&api, s(std::string("http")), port, &taken), WARDEN_ERR_CONFLICT);
    EXPECT_EQ(last_error(), "port " + std::to_string(port) +
                                " is reserved by worker exec/web for http; give exec/api another "
                                "port");

    gate_.forget_worker("exec", "web");
    EXPECT_EQ(host().port_reserve(&api, s(std::string("http")), port, &taken), WARDEN_OK)
        << last_error();
    EXPECT_EQ(log_.count("info worker exec/web removed from the config: released port " +
                         std::to_string(port)),
              1)
        << log_.text();
    gate_.detach("exec", "api");

    warden_host_ctx without{"exec/web", "exec", "web", &gate_, nullptr};
    EXPECT_EQ(host().port_reserve(&without, s(std::string("http")), 0, &port),
              WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(last_error(),
              "port reservations need the host's port registry, and worker exec/web was made "
              "without one");

    warden_host_ctx plugin{"plugin exec", "", "", nullptr, nullptr};
    EXPECT_EQ(host().port_reserve(&plugin, s(std::string("http")), 0, &port),
              WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(last_error(), "plugin exec is a plugin, not a worker; only workers reserve ports");
}

}  // namespace
}  // namespace warden::host
