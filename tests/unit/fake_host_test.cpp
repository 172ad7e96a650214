// SPDX-License-Identifier: Apache-2.0
// tests/unit/fake_host_test.cpp — the SDK's fake host keeps the host's
// contract for the service operations (scope, names, create-or-update,
// observation of a missing service, struct sizes), for the ABI 1.2 slots:
// port reservations, service logs, commands and the HTTP probe's failures,
// and for the figures of ABI 1.5, and plays hosts of earlier minors.
// That its refusals are the host's, word for word, is
// host_rules_conformance_test.cpp's to show.
#include <warden/host.hpp>
#include <warden/testing/fake_host.hpp>
#include <warden/testing/json_object_check.hpp>

#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using warden::Host;
using warden::ServiceSpec;
using warden::testing::FakeHost;
namespace fake_detail = warden::testing::fake_detail;

class FakeHostServices : public ::testing::Test {
protected:
    Host worker_host(const char *type, const char *name) {
        auto *ctx = host_.make_context(std::string(type) + "/" + name, type, name);
        return Host(host_.services(), reinterpret_cast<warden_host_ctx *>(ctx));
    }
    static ServiceSpec spec(const std::string &name, const std::string &arg = "1") {
        ServiceSpec s;
        s.name = name;
        s.argv = {"/bin/sleep", arg};
        return s;
    }
    static warden_status status_of(const std::function<void()> &call) {
        try {
            call();
        } catch (const warden::Error &e) {
            return e.status();
        }
        return WARDEN_OK;
    }

    FakeHost host_;
};

TEST_F(FakeHostServices, allow_a_worker_only_its_own_services) {
    const Host web = worker_host("exec", "web");
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-web")); }), WARDEN_OK);
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-web-sidecar")); }), WARDEN_OK);
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-webby")); }), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(status_of([&] { web.observe_service("exec-db"); }), WARDEN_ERR_NOT_PERMITTED);
    try {
        web.remove_service("benthos-web");
        FAIL() << "removing another type's service must be refused";
    } catch (const warden::Error &e) {
        EXPECT_STREQ(e.what(),
                     "remove service 'benthos-web': service 'benthos-web' is outside the "
                     "scope of exec/web (exec-web, exec-web-*)");
    }
    EXPECT_EQ(host_.audit().back(), "exec/web remove benthos-web not permitted");
}

TEST_F(FakeHostServices, give_a_name_to_the_worker_with_the_longest_prefix) {
    const Host web = worker_host("exec", "web");
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-web-2")); }), WARDEN_OK)
        << "no worker web-2 yet: the name is web's";
    auto *web2 = host_.make_context("exec/web-2", "exec", "web-2");
    const Host as_web2(host_.services(), fake_detail::handle(web2));
    try {
        web.create_service(spec("exec-web-2-db"));
        FAIL() << "a name of worker web-2 must be refused to web";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_NOT_PERMITTED);
        EXPECT_STREQ(e.what(),
                     "create service 'exec-web-2-db': service 'exec-web-2-db' belongs to worker "
                     "exec/web-2, not to exec/web");
    }
    EXPECT_EQ(web.list_services("exec-web"), (std::vector<std::string>{}))
        << "exec-web-2 is web-2's now";
    EXPECT_EQ(as_web2.list_services("exec-web-2"), (std::vector<std::string>{"exec-web-2"}));
    host_.release_context(web2);
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-web-2-db")); }), WARDEN_OK)
        << "once web-2 is gone, its names are web's again";
}

TEST_F(FakeHostServices, give_derive_and_check_contexts_no_service_operations) {
    for (auto *c :
         {host_.make_derive_context("exec", "web"), host_.make_check_context("exec", "web")}) {
        const Host hook(host_.services(), fake_detail::handle(c));
        try {
            hook.observe_service("exec-web");
            FAIL() << "a hook without a worker has no services";
        } catch (const warden::Error &e) {
            EXPECT_EQ(e.status(), WARDEN_ERR_UNSUPPORTED);
        }
    }
    const Host derive(host_.services(),
                      fake_detail::handle(host_.make_derive_context("exec", "web")));
    EXPECT_EQ(status_of([&] { derive.reserve_port("http"); }), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(derive.last_service_error(),
              "port reservations need the host's port registry, and worker exec/web was made "
              "without one");
}

TEST_F(FakeHostServices, refuse_names_that_are_not_service_names) {
    const Host web = worker_host("exec", "web");
    for (const char *bad : {"", "Exec-web", "exec-web/../x", "exec-web x", ".exec-web"})
        EXPECT_EQ(status_of([&] { web.observe_service(bad); }), WARDEN_ERR_INVALID_ARGUMENT) << bad;
}

TEST_F(FakeHostServices, create_the_same_spec_twice_without_restarting) {
    const Host web = worker_host("exec", "web");
    web.create_service(spec("exec-web"));
    const auto first = web.observe_service("exec-web");
    web.create_service(spec("exec-web"));
    EXPECT_EQ(web.observe_service("exec-web").pid, first.pid);
    EXPECT_EQ(host_.service("exec-web").updates, 0);

    web.create_service(spec("exec-web", "2"));
    EXPECT_NE(web.observe_service("exec-web").pid, first.pid);
    EXPECT_EQ(host_.service("exec-web").updates, 1);
}

TEST_F(FakeHostServices, observe_a_missing_service_as_not_existing) {
    const auto status = worker_host("exec", "web").observe_service("exec-web");
    EXPECT_FALSE(status.exists);
    EXPECT_FALSE(status.up);
    EXPECT_EQ(status.pid, 0);
}

TEST_F(FakeHostServices, write_only_the_fields_inside_the_callers_struct_size) {
    auto *ctx = reinterpret_cast<warden_host_ctx *>(host_.make_context("exec/web", "exec", "web"));
    worker_host("exec", "web").create_service(spec("exec-web"));
    warden_service_status status = WARDEN_INIT(warden_service_status);
    status.struct_size = offsetof(warden_service_status, pid);  // an older, smaller struct
    status.pid = -7;
    ASSERT_EQ(host_.services()->service_observe(ctx, warden::str("exec-web"), &status), WARDEN_OK);
    EXPECT_NE(status.flags & WARDEN_STATUS_EXISTS, 0u);
    EXPECT_EQ(status.pid, -7) << "a field past struct_size was written";
}

// ABI 1.4: the fake plays root by default, on its own table of users and
// groups; a test makes it another host, and adds users.
TEST_F(FakeHostServices, settle_a_specs_user_and_group_against_the_fakes_accounts) {
    EXPECT_TRUE(host_.host_account().root());
    EXPECT_EQ(host_.host_account().user, "root");
    const Host web = worker_host("exec", "web");
    ServiceSpec as_nobody = spec("exec-web");
    as_nobody.user = "nobody";
    as_nobody.group = "nogroup";
    web.create_service(as_nobody);
    EXPECT_EQ(host_.service("exec-web").spec.user, "nobody");
    EXPECT_EQ(host_.service("exec-web").spec.group, "nogroup");
    as_nobody.group.clear();
    web.create_service(as_nobody);
    EXPECT_EQ(host_.service("exec-web").updates, 1) << "another group is another spec";

    ServiceSpec as_app = spec("exec-web-app");
    as_app.user = "app";
    EXPECT_EQ(status_of([&] { web.create_service(as_app); }), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_FALSE(host_.has_service("exec-web-app"));
    host_.accounts().add_user("app", 2000, 2000);
    web.create_service(as_app);
    EXPECT_TRUE(host_.has_service("exec-web-app"));

    warden::rules::HostAccount app_host;
    app_host.uid = app_host.gid = 2000;
    app_host.user = app_host.group = "app";
    app_host.service_user = "app";
    host_.set_host_account(app_host);
    EXPECT_EQ(status_of([&] { web.create_service(spec("exec-web-plain")); }), WARDEN_OK)
        << "the host's service_user is its own user";
    EXPECT_EQ(status_of([&] { web.create_service(as_nobody); }), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_FALSE(web.service_account("", "").switched);
    EXPECT_EQ(web.service_account("", "").uid, 2000u);

    host_.remove_service_slots();
    EXPECT_FALSE(web.offers_service_accounts());
}

TEST_F(FakeHostServices, start_down_stop_and_remove) {
    const Host web = worker_host("exec", "web");
    ServiceSpec down = spec("exec-web");
    down.start_down = true;
    web.create_service(down);
    auto status = web.observe_service("exec-web");
    EXPECT_TRUE(status.exists);
    EXPECT_FALSE(status.up);
    EXPECT_FALSE(status.normally_up);

    web.control_service("exec-web", warden::ServiceCommand::start_persist);
    status = web.observe_service("exec-web");
    EXPECT_TRUE(status.up && status.normally_up && status.want_up);

    web.control_service("exec-web", warden::ServiceCommand::stop);
    status = web.observe_service("exec-web");
    EXPECT_FALSE(status.up);
    EXPECT_EQ(status.last_signal, 15);

    EXPECT_EQ(web.list_services("exec-web"), (std::vector<std::string>{"exec-web"}));
    web.remove_service("exec-web");
    web.remove_service("exec-web");  // idempotent
    EXPECT_FALSE(host_.has_service("exec-web"));
    EXPECT_EQ(status_of([&] { web.control_service("exec-web", warden::ServiceCommand::start); }),
              WARDEN_ERR_NOT_FOUND)
        << "as on the host: a missing service is not found";
}

TEST_F(FakeHostServices, answer_http_from_the_table_and_refuse_the_rest) {
    host_.serve_http(4195, "/ready", warden::HttpResponse{503, "not ready: output"});
    const Host web = worker_host("benthos", "web");
    warden::HttpRequest request;
    request.port = 4195;
    request.path = "/ready";
    try {
        web.http(request);
        ADD_FAILURE() << "a port the worker does not hold must be refused";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_NOT_PERMITTED);
        EXPECT_STREQ(e.what(),
                     "http probe '/ready': http_probe: port 4195 is not reserved by worker "
                     "benthos/web; reserve it with port_reserve first");
    }
    web.reserve_port("http", 4195);
    const auto response = web.http(request);
    EXPECT_EQ(response.status_code, 503);
    EXPECT_EQ(response.body, "not ready: output");
    request.path = "/ping";
    EXPECT_EQ(status_of([&] { web.http(request); }), WARDEN_ERR_NOT_FOUND);
}

TEST_F(FakeHostServices, can_play_an_abi_1_0_host) {
    host_.remove_service_slots();
    const Host web = worker_host("exec", "web");
    EXPECT_FALSE(web.offers_services());
    EXPECT_FALSE(web.offers_http_probe());
    EXPECT_EQ(status_of([&] { web.observe_service("exec-web"); }), WARDEN_ERR_UNSUPPORTED);
}

TEST_F(FakeHostServices, refuse_commands_and_flags_they_do_not_know) {
    const Host web = worker_host("exec", "web");
    web.create_service(spec("exec-web"));
    auto *ctx = reinterpret_cast<warden_host_ctx *>(host_.make_context("exec/web", "exec", "web"));
    EXPECT_EQ(host_.services()->service_control(ctx, warden::str("exec-web"), 99, 0),
              WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(host_.services()->service_remove(ctx, warden::str("exec-web"), 0x80),
              WARDEN_ERR_UNSUPPORTED);
    EXPECT_TRUE(host_.has_service("exec-web"));
}

TEST_F(FakeHostServices, remove_keeps_the_log_unless_asked) {
    const Host web = worker_host("exec", "web");
    web.create_service(spec("exec-web"));
    host_.append_log("exec-web", "started");
    web.remove_service("exec-web");
    EXPECT_EQ(web.read_log("exec-web"), (std::vector<std::string>{"started"}));
    web.remove_service("exec-web", true);
    EXPECT_TRUE(web.read_log("exec-web").empty());
}

// ---- ports ------------------------------------------------------------------

class FakeHostPorts : public FakeHostServices {
protected:
    // The status and text of one reservation, through the C slot.
    struct Reserved {
        warden_status status;
        uint32_t port;
        std::string error;
    };
    Reserved reserve(warden_host_ctx *ctx, const char *purpose, uint32_t requested = 0) {
        uint32_t port = 0;
        const warden_status status =
            host_.services()->port_reserve(ctx, warden::str(purpose), requested, &port);
        return {
            status, port,
            status == WARDEN_OK ? std::string() : Host(host_.services(), ctx).last_service_error()};
    }
    warden_host_ctx *ctx(const char *type, const char *name) {
        return reinterpret_cast<warden_host_ctx *>(
            host_.make_context(std::string(type) + "/" + name, type, name));
    }
};

TEST_F(FakeHostPorts, give_a_worker_the_same_port_for_the_same_purpose) {
    const Host a = worker_host("benthos", "a");
    EXPECT_EQ(a.reserve_port("http"), 24000u);
    EXPECT_EQ(a.reserve_port("http"), 24000u);
    EXPECT_EQ(a.reserve_port("metrics"), 24001u);
    EXPECT_EQ(worker_host("benthos", "b").reserve_port("http"), 24002u);
    EXPECT_EQ(worker_host("benthos", "a").reserve_port("http"), 24000u)
        << "a second context of the same worker sees its reservation";
    EXPECT_EQ(host_.reserved_port("benthos", "a", "http"), std::optional<uint32_t>(24000));
    EXPECT_EQ(host_.reserved_port("benthos", "a", "admin"), std::nullopt);
}

TEST_F(FakeHostPorts, refuse_a_port_another_worker_holds_naming_both_workers) {
    host_.hold_port("redpanda", "broker", "kafka", 9092);
    const Reserved r = reserve(ctx("benthos", "a"), "http", 9092);
    EXPECT_EQ(r.status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(r.error,
              "port 9092 is reserved by worker redpanda/broker for kafka; give benthos/a another "
              "port");
    EXPECT_EQ(host_.reserved_port("benthos", "a", "http"), std::nullopt);
    EXPECT_EQ(host_.audit().back(), "benthos/a port_reserve http conflict");

    const Reserved own_other_purpose = reserve(ctx("redpanda", "broker"), "admin", 9092);
    EXPECT_EQ(own_other_purpose.status, WARDEN_ERR_CONFLICT) << "one port, one use";
    EXPECT_EQ(own_other_purpose.error,
              "port 9092 is reserved by worker redpanda/broker for kafka; give redpanda/broker "
              "another port for admin");
}

TEST_F(FakeHostPorts, move_a_reservation_to_a_requested_port_and_free_the_old_one) {
    const Host a = worker_host("benthos", "a");
    EXPECT_EQ(a.reserve_port("http"), 24000u);
    EXPECT_EQ(a.reserve_port("http", 24500), 24500u);
    EXPECT_EQ(a.reserve_port("http"), 24500u) << "0 keeps the port already reserved";
    EXPECT_EQ(worker_host("benthos", "b").reserve_port("http"), 24000u) << "24000 was freed";

    host_.hold_port("benthos", "c", "http", 24001);
    const Reserved blocked = reserve(ctx("benthos", "a"), "http", 24001);
    EXPECT_EQ(blocked.status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(host_.reserved_port("benthos", "a", "http"), std::optional<uint32_t>(24500))
        << "a refused move keeps the old reservation";
}

TEST_F(FakeHostPorts, release_a_removed_workers_ports) {
    const Host a = worker_host("benthos", "a");
    a.reserve_port("http", 4195);
    a.reserve_port("metrics");
    host_.release_ports("benthos", "a");
    EXPECT_EQ(host_.reserved_port("benthos", "a", "http"), std::nullopt);
    EXPECT_EQ(worker_host("benthos", "b").reserve_port("http", 4195), 4195u);
}

TEST_F(FakeHostPorts, refuse_bad_purposes_ports_and_the_plugins_own_context) {
    for (const char *bad : {"", "Http", "1st", "http-admin", "a_purpose_name_longer_than_32_chars"})
        EXPECT_EQ(reserve(ctx("benthos", "a"), bad).status, WARDEN_ERR_INVALID_ARGUMENT) << bad;
    const Reserved big = reserve(ctx("benthos", "a"), "http", 70000);
    EXPECT_EQ(big.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(big.error, "port 70000 is not from 1 to 65535");
    const Reserved plugin = reserve(host_.plugin_context(), "http");
    EXPECT_EQ(plugin.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(plugin.error, "plugin is a plugin, not a worker; only workers reserve ports");
}

TEST_F(FakeHostPorts, keep_nothing_a_config_check_reserves) {
    host_.hold_port("benthos", "a", "http", 4195);
    auto *check = reinterpret_cast<warden_host_ctx *>(host_.make_check_context("benthos", "b"));
    EXPECT_EQ(reserve(check, "http").port, 24000u);
    EXPECT_EQ(reserve(check, "metrics").port, 24001u) << "seen within the same check";
    EXPECT_EQ(reserve(check, "admin", 4195).status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(host_.reserved_port("benthos", "b", "http"), std::nullopt);
    EXPECT_EQ(worker_host("benthos", "c").reserve_port("http"), 24000u);
}

// ---- logs -------------------------------------------------------------------

TEST_F(FakeHostServices, read_a_workers_own_logs_and_refuse_the_rest) {
    host_.set_log("exec-db", {"secret"});
    const Host web = worker_host("exec", "web");
    try {
        web.read_log("exec-db");
        FAIL() << "reading another worker's log must be refused";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_NOT_PERMITTED);
        EXPECT_STREQ(e.what(),
                     "read log 'exec-db': service 'exec-db' is outside the scope of exec/web "
                     "(exec-web, exec-web-*)");
    }
    EXPECT_EQ(host_.audit().back(), "exec/web log_read exec-db not permitted");
    EXPECT_EQ(status_of([&] { web.read_log("exec-web/../x"); }), WARDEN_ERR_INVALID_ARGUMENT);
    auto *plugin = host_.plugin_context();
    EXPECT_EQ(status_of([&] { Host(host_.services(), plugin).read_log("exec-web"); }),
              WARDEN_ERR_NOT_PERMITTED);
}

TEST_F(FakeHostServices, read_at_most_max_lines_newest_last_100_by_default) {
    std::vector<std::string> lines;
    for (int i = 0; i < 1500; ++i) lines.push_back("line " + std::to_string(i));
    host_.set_log("exec-web", lines);
    host_.append_log("exec-web", "last");
    const Host web = worker_host("exec", "web");

    const auto tail = web.read_log("exec-web");
    ASSERT_EQ(tail.size(), 100u);
    EXPECT_EQ(tail.front(), "line 1401");
    EXPECT_EQ(tail.back(), "last");
    EXPECT_EQ(web.read_log("exec-web", 3),
              (std::vector<std::string>{"line 1498", "line 1499", "last"}));
    EXPECT_EQ(web.read_log("exec-web", 5000).size(), 1000u) << "capped at 1000 lines";
    EXPECT_TRUE(web.read_log("exec-web-never-ran").empty());
}

// ---- commands ---------------------------------------------------------------

TEST_F(FakeHostServices, record_every_command_with_its_files_and_timeout) {
    host_.on_command([](const warden::Command &c) {
        return warden::CommandResult{0, 0, "checked " + c.files.at(0).content};
    });
    const Host web = worker_host("benthos", "web");
    warden::Command command;
    command.argv = {"/usr/bin/benthos", "lint", "has space", "$HOME"};
    command.files = {{"config.yaml", "input: {}\n", 0600}, {"dir/extra.yaml", "x", 0}};
    command.timeout_ms = 3000;
    const auto result = web.run_command(command);
    EXPECT_EQ(result.output, "checked input: {}\n");

    const auto recorded = host_.commands();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].argv, command.argv);
    ASSERT_EQ(recorded[0].files.size(), 2u);
    EXPECT_EQ(recorded[0].files[0].path, "config.yaml");
    EXPECT_EQ(recorded[0].files[0].content, "input: {}\n");
    EXPECT_EQ(recorded[0].files[0].mode, 0600u);
    EXPECT_EQ(recorded[0].files[1].path, "dir/extra.yaml");
    EXPECT_EQ(recorded[0].timeout_ms, 3000u);
    EXPECT_EQ(host_.audit().back(), "benthos/web command /usr/bin/benthos ok");
}

TEST_F(FakeHostServices, refuse_a_command_the_host_would_not_start) {
    host_.on_command([](const warden::Command &) { return warden::CommandResult{}; });
    const Host web = worker_host("benthos", "web");
    warden::Command relative;
    relative.argv = {"benthos", "lint"};
    try {
        web.run_command(relative);
        FAIL() << "a relative argv[0] must be refused";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_INVALID_ARGUMENT);
        EXPECT_STREQ(e.what(),
                     "run command 'benthos': command: argv[0] must be an absolute path to the "
                     "program");
    }
    for (const char *path : {"/etc/passwd", "../up", "a/../../b", "", "a//b", "./a", "tab\there"}) {
        warden::Command escaping;
        escaping.argv = {"/usr/bin/benthos"};
        escaping.files = {{path, "x", 0}};
        EXPECT_EQ(status_of([&] { web.run_command(escaping); }), WARDEN_ERR_INVALID_ARGUMENT)
            << path;
    }
    EXPECT_TRUE(host_.commands().empty());
}

TEST_F(FakeHostServices, cancel_a_command_before_the_handler_runs) {
    int calls = 0;
    host_.on_command([&](const warden::Command &) {
        ++calls;
        return warden::CommandResult{};
    });
    auto *ctx =
        reinterpret_cast<warden_host_ctx *>(host_.make_context("benthos/web", "benthos", "web"));
    const warden_str argv[] = {WARDEN_STR("/usr/bin/benthos")};
    warden_command command = WARDEN_INIT(warden_command);
    command.argv = argv;
    command.argc = 1;
    warden_command_result result = WARDEN_INIT(warden_command_result);
    warden::testing::fake_detail::CancelToken token;
    token.requested = true;
    EXPECT_EQ(host_.services()->command_run(ctx, &command,
                                            reinterpret_cast<const warden_cancel *>(&token),
                                            &result, nullptr, nullptr),
              WARDEN_ERR_CANCELLED);
    EXPECT_EQ(Host(host_.services(), ctx).last_service_error(),
              "command /usr/bin/benthos: cancelled by the host, killed after 0 ms");
    EXPECT_EQ(calls, 0);
    EXPECT_TRUE(host_.commands().empty());

    token.requested = false;
    EXPECT_EQ(host_.services()->command_run(ctx, &command,
                                            reinterpret_cast<const warden_cancel *>(&token),
                                            &result, nullptr, nullptr),
              WARDEN_OK);
    EXPECT_EQ(calls, 1);
}

// ---- HTTP failures --------------------------------------------------------------

TEST_F(FakeHostServices, refuse_every_route_of_a_stopped_port_and_time_out_a_silent_one) {
    host_.serve_http(4195, "/ping", warden::HttpResponse{200, "pong"});
    host_.serve_http(4195, "/ready", warden::HttpResponse{200, "OK"});
    host_.http_timeout(4196, "/metrics");
    const Host web = worker_host("benthos", "web");
    web.reserve_port("http", 4195);
    web.reserve_port("metrics", 4196);
    warden::HttpRequest request;
    request.port = 4196;
    request.path = "/metrics";
    try {
        web.http(request);
        FAIL() << "a route set to time out must time out";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_TIMEOUT);
        EXPECT_STREQ(e.what(),
                     "http probe '/metrics': http GET 127.0.0.1:4196/metrics: no answer "
                     "within 2000 ms");
    }

    host_.stop_http(4195);
    request.port = 4195;
    for (const char *path : {"/ping", "/ready"}) {
        request.path = path;
        EXPECT_EQ(status_of([&] { web.http(request); }), WARDEN_ERR_NOT_FOUND) << path;
    }
    EXPECT_EQ(host_.audit().back(), "benthos/web http_probe GET 127.0.0.1:4195/ready not found");
    host_.serve_http(4195, "/ping", warden::HttpResponse{200, "pong"});
    request.path = "/ping";
    EXPECT_EQ(web.http(request).body, "pong");

    request.method = "DELETE";
    EXPECT_EQ(status_of([&] { web.http(request); }), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(web.last_service_error(),
              "http DELETE 127.0.0.1:4195/ping: method 'DELETE' is not offered (GET, POST or "
              "PUT)");
    request.method = "GET";
    request.body = "{}";
    EXPECT_EQ(status_of([&] { web.http(request); }), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(web.last_service_error(), "http GET 127.0.0.1:4195/ping: a GET request has no body");
}

// ABI 1.3: a handler sees each request whole, so a test can tell a PUT from
// a GET on one path and read the body the worker sent.
TEST_F(FakeHostServices, hand_each_request_whole_to_the_tests_handler) {
    std::vector<warden::HttpRequest> seen;
    std::string config = R"({"log_retention_ms":604800000})";
    host_.on_http(9644, "/v1/cluster_config", [&](const warden::HttpRequest &request) {
        seen.push_back(request);
        if (request.method == "PUT") {
            config = request.body;
            return warden::HttpResponse{200, R"({"config_version":2})"};
        }
        return warden::HttpResponse{200, config};
    });
    const Host web = worker_host("redpanda", "web");
    web.reserve_port("admin", 9644);
    warden::HttpRequest put;
    put.method = "PUT";
    put.port = 9644;
    put.path = "/v1/cluster_config";
    put.content_type = "application/json";
    put.body = R"({"upsert":{"log_retention_ms":3600000},"remove":[]})";
    put.timeout_ms = 500;
    const warden::HttpResponse answered = web.http(put);
    EXPECT_EQ(answered.status_code, 200);
    EXPECT_EQ(answered.body, R"({"config_version":2})");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "PUT");
    EXPECT_EQ(seen[0].port, 9644u);
    EXPECT_EQ(seen[0].path, "/v1/cluster_config");
    EXPECT_EQ(seen[0].content_type, "application/json");
    EXPECT_EQ(seen[0].body, put.body);
    EXPECT_EQ(seen[0].timeout_ms, 500u);
    EXPECT_EQ(host_.audit().back(),
              "redpanda/web http_probe PUT 127.0.0.1:9644/v1/cluster_config ok");

    warden::HttpRequest get;
    get.method = "";  // GET
    get.port = 9644;
    get.path = "/v1/cluster_config";
    EXPECT_EQ(web.http(get).body, put.body);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].method, "GET");
    EXPECT_EQ(seen[1].body, "");

    put.method = "put";
    EXPECT_EQ(status_of([&] { web.http(put); }), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(web.last_service_error(),
              "http put 127.0.0.1:9644/v1/cluster_config: method 'put' is not offered (GET, POST "
              "or PUT)");
    EXPECT_EQ(seen.size(), 2u) << "a refused request reaches no handler";

    // A fixed answer serves every method; a handler may play a failure.
    host_.serve_http(9644, "/v1/status/ready", warden::HttpResponse{200, "ready"});
    put.method = "PUT";
    put.path = "/v1/status/ready";
    EXPECT_EQ(web.http(put).body, "ready");
    host_.on_http(9644, "/v1/cluster_config",
                  [](const warden::HttpRequest &) -> warden::HttpResponse {
                      throw warden::Error(WARDEN_ERR_TIMEOUT,
                                          "http PUT 127.0.0.1:9644/v1/cluster_config: no "
                                          "answer within 500 ms");
                  });
    put.path = "/v1/cluster_config";
    EXPECT_EQ(status_of([&] { web.http(put); }), WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(web.last_service_error(),
              "http PUT 127.0.0.1:9644/v1/cluster_config: no answer within 500 ms");
    host_.on_http(9644, "/v1/cluster_config",
                  [](const warden::HttpRequest &) -> warden::HttpResponse {
                      throw std::runtime_error("bad test");
                  });
    EXPECT_EQ(status_of([&] { web.http(put); }), WARDEN_ERR);
    EXPECT_EQ(web.last_service_error(),
              "http PUT 127.0.0.1:9644/v1/cluster_config: the test's HTTP handler threw: bad "
              "test");
}

TEST_F(FakeHostServices, can_play_a_host_without_the_abi_1_2_slots) {
    host_.remove_service_slots();
    EXPECT_EQ(host_.services()->abi_version, WARDEN_ABI_VERSION);
    EXPECT_EQ(host_.services()->port_reserve, nullptr);
    EXPECT_EQ(host_.services()->service_log_read, nullptr);
    EXPECT_EQ(host_.services()->command_run, nullptr);
    EXPECT_EQ(host_.services()->figure_publish, nullptr);
}

// ---- figures (ABI 1.5) -----------------------------------------------------------

warden::Figure figure(const std::string &name, warden::FigureKind kind, double value,
                      const std::string &label_name = {}, const std::string &label_value = {}) {
    warden::Figure f;
    f.name = name;
    f.kind = kind;
    f.help = "What " + name + " counts.";
    f.label_name = label_name;
    f.label_value = label_value;
    f.value = value;
    return f;
}

TEST_F(FakeHostServices, record_each_workers_figures_as_the_host_would_export_them) {
    const Host web = worker_host("benthos", "web");
    const Host db = worker_host("benthos", "db");
    web.publish_figure(figure("sent_total", warden::FigureKind::counter, 10));
    web.publish_figure(figure("sent_total", warden::FigureKind::counter, 12));
    db.publish_figure(figure("sent_total", warden::FigureKind::counter, 3));
    web.publish_figure(figure("lag", warden::FigureKind::gauge, 4, "partition", "0"));
    const auto sent = host_.figure("benthos", "web", "sent_total");
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(sent->value, 12);
    EXPECT_EQ(sent->kind, warden::FigureKind::counter);
    EXPECT_EQ(sent->help, "What sent_total counts.");
    EXPECT_FALSE(host_.figure("benthos", "web", "lag").has_value()) << "it has a label value";
    EXPECT_EQ(host_.figure("benthos", "web", "lag", "0")->value, 4);
    std::vector<std::string> all;
    for (const auto &f : host_.figures())
        all.push_back(f.type + "/" + f.worker + " " + f.name + " " + f.label_value);
    EXPECT_EQ(all, (std::vector<std::string>{"benthos/web lag 0", "benthos/db sent_total ",
                                             "benthos/web sent_total "}));

    host_.forget_figures("benthos", "web");
    ASSERT_EQ(host_.figures().size(), 1u);
    EXPECT_EQ(host_.figures()[0].worker, "db");
}

TEST_F(FakeHostServices, refuse_figures_as_the_host_does) {
    const Host web = worker_host("benthos", "web");
    web.publish_figure(figure("sent_total", warden::FigureKind::counter, 1));
    warden::Figure other = figure("sent_total", warden::FigureKind::counter, 1);
    other.help = "Something else.";
    try {
        worker_host("benthos", "db").publish_figure(other);
        FAIL() << "one help per name in a worker type";
    } catch (const warden::Error &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_INVALID_ARGUMENT);
        EXPECT_EQ(std::string(e.what()),
                  "figure 'sent_total': help 'Something else.' differs from 'What sent_total "
                  "counts.', its help in worker type benthos; a name keeps one kind, one help and "
                  "one label name within its worker type");
    }
    EXPECT_EQ(
        status_of([&] { web.publish_figure(figure("sent", warden::FigureKind::counter, 1)); }),
        WARDEN_ERR_INVALID_ARGUMENT);
    const Host plugin(host_.services(), host_.plugin_context());
    EXPECT_EQ(
        status_of([&] { plugin.publish_figure(figure("depth", warden::FigureKind::gauge, 1)); }),
        WARDEN_ERR_NOT_PERMITTED);
    for (auto *c : {host_.make_derive_context("benthos", "web"),
                    host_.make_check_context("benthos", "web")}) {
        const Host hook(host_.services(), fake_detail::handle(c));
        EXPECT_EQ(
            status_of([&] { hook.publish_figure(figure("depth", warden::FigureKind::gauge, 1)); }),
            WARDEN_ERR_UNSUPPORTED);
    }
    EXPECT_EQ(host_.figures().size(), 1u);
}

TEST_F(FakeHostServices, can_play_a_host_of_an_earlier_minor) {
    host_.speak_abi_minor(4);
    EXPECT_EQ(host_.services()->abi_version, WARDEN_MAKE_ABI_VERSION(1, 4));
    EXPECT_EQ(host_.services()->struct_size, offsetof(warden_host_services, figure_publish));
    const Host web = worker_host("benthos", "web");
    EXPECT_TRUE(web.offers_service_accounts());
    EXPECT_FALSE(web.offers_figures());
    host_.speak_abi_minor(3);
    EXPECT_FALSE(web.offers_service_accounts());
    EXPECT_TRUE(web.offers_commands());
    host_.speak_abi_minor(1);
    EXPECT_FALSE(web.offers_ports());
    EXPECT_TRUE(web.offers_services());
    host_.speak_abi_minor(WARDEN_ABI_VERSION_MINOR);
    EXPECT_EQ(host_.services()->struct_size, sizeof(warden_host_services));
    EXPECT_TRUE(web.offers_figures());
}

TEST(FakeHostJson, accepts_json_objects_and_nothing_else) {
    using warden::testing::is_json_object;
    for (const char *good : {"{}", " {\"a\": [1, -2.5e3, true, null, \"\\u00e9\\n\"]} ",
                             "{\"nested\":{\"x\":{}}}", "{\"utf8\":\"caf\xc3\xa9\"}"})
        EXPECT_TRUE(is_json_object(good)) << good;
    for (const char *bad : {"", "[]", "42", "{", "{\"a\":}", "{\"a\":1,}", "{'a':1}", "{\"a\":01}",
                            "{\"a\":\"tab\there\"}", "{} {}", "{\"bad\":\"\xff\"}", "{\"a\":tru}"})
        EXPECT_FALSE(is_json_object(bad)) << bad;
}

// A table the host would refuse (its worker type has no hooks) is refused by
// the fake host's load as well.
const warden_plugin *hookless_type_entry(uint32_t) {
    static const warden_state_info idle = {
        sizeof(warden_state_info), WARDEN_STR("idle"), WARDEN_PHASE_STOPPED, {nullptr, 0}};
    static const warden_state_info *const states[] = {&idle};
    static const warden_worker_type type = [] {
        warden_worker_type t = WARDEN_INIT(warden_worker_type);
        t.name = WARDEN_STR("odd");
        t.states = states;
        t.state_count = 1;
        t.initial_state = WARDEN_STR("idle");
        return t;
    }();
    static const warden_worker_type *const types[] = {&type};
    static const warden_plugin plugin = [] {
        warden_plugin p = WARDEN_INIT(warden_plugin);
        p.magic = WARDEN_PLUGIN_MAGIC;
        p.abi_version = WARDEN_ABI_VERSION;
        p.name = WARDEN_STR("odd");
        p.version = WARDEN_STR("1");
        p.worker_types = types;
        p.worker_type_count = 1;
        return p;
    }();
    return &plugin;
}

// An ABI 1.1 plugin: its worker type table ends before check_config. The
// byte past its struct_size holds a hook that must never be called.
namespace old_plugin {
const warden_host_services *g_host = nullptr;
warden_status init(const warden_host_services *host, warden_host_ctx *) {
    g_host = host;
    return WARDEN_OK;
}
warden_status create(warden_host_ctx *, const warden_identity *, warden_worker **out) {
    static int worker;
    *out = reinterpret_cast<warden_worker *>(&worker);
    return WARDEN_OK;
}
void destroy(warden_worker *) {}
warden_status derive(warden_host_ctx *, const warden_identity *, warden_str,
                     warden_json_sink *out) {
    return g_host->json_sink_write(out, warden::str("{}"));
}
warden_status collect(warden_worker *, const warden_snapshot *, const warden_cancel *,
                      warden_json_sink *) {
    return WARDEN_OK;
}
warden_status next(warden_worker *, const warden_snapshot *, warden_decision_sink *) {
    return WARDEN_OK;
}
warden_status execute(warden_worker *, warden_str, const warden_snapshot *, const warden_cancel *) {
    return WARDEN_OK;
}
warden_status never_called(warden_host_ctx *ctx, const warden_identity *, warden_str,
                           const warden_cancel *) {
    g_host->set_error(ctx, warden::str("check_config past struct_size was called"));
    return WARDEN_ERR;
}

const warden_plugin *entry(uint32_t) {
    static const warden_state_info idle = {
        sizeof(warden_state_info), WARDEN_STR("idle"), WARDEN_PHASE_STOPPED, {nullptr, 0}};
    static const warden_state_info *const states[] = {&idle};
    static const warden_worker_type type = [] {
        warden_worker_type t = WARDEN_INIT(warden_worker_type);
        t.struct_size = offsetof(warden_worker_type, check_config);
        t.name = WARDEN_STR("old");
        t.states = states;
        t.state_count = 1;
        t.initial_state = WARDEN_STR("idle");
        t.create = &create;
        t.destroy = &destroy;
        t.derive_desired_state = &derive;
        t.collect_observed_state = &collect;
        t.next = &next;
        t.execute_action = &execute;
        t.check_config = &never_called;
        return t;
    }();
    static const warden_worker_type *const types[] = {&type};
    static const warden_plugin plugin = [] {
        warden_plugin p = WARDEN_INIT(warden_plugin);
        p.magic = WARDEN_PLUGIN_MAGIC;
        p.abi_version = WARDEN_MAKE_ABI_VERSION(1, 1);
        p.min_host_minor = 1;
        p.name = WARDEN_STR("old");
        p.version = WARDEN_STR("1");
        p.worker_types = types;
        p.worker_type_count = 1;
        p.init = &init;
        return p;
    }();
    return &plugin;
}
}  // namespace old_plugin

TEST(FakeHostLoad, accepts_a_1_1_worker_type_and_reads_no_hook_past_its_size) {
    FakeHost host;
    host.load(&old_plugin::entry);
    warden::testing::FakeWorker worker(host, host.worker_type("old"), "w", "{}");
    const auto checked = worker.check_config();
    EXPECT_TRUE(checked.ok()) << checked.error;
}

TEST(FakeHostLoad, refuses_what_the_host_would_refuse_with_the_same_words) {
    FakeHost host;
    try {
        host.load(&hookless_type_entry);
        FAIL() << "the fake host loaded a table the host refuses";
    } catch (const std::runtime_error &e) {
        EXPECT_STREQ(e.what(),
                     "worker type check: worker type 'odd': a hook is NULL (create, "
                     "destroy, derive_desired_state, collect_observed_state, next and "
                     "execute_action are all required)");
    }
}

}  // namespace
