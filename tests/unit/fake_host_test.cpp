// tests/unit/fake_host_test.cpp — the SDK's fake host keeps the host's
// contract for the service operations: scope, names, create-or-update,
// observation of a missing service, and struct sizes.
#include <warden/host.hpp>
#include <warden/testing/fake_host.hpp>
#include <warden/testing/json_object_check.hpp>

#include <gtest/gtest.h>

namespace {

using warden::Host;
using warden::ServiceSpec;
using warden::testing::FakeHost;

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
    EXPECT_NE(status.flags & WARDEN_SERVICE_EXISTS, 0u);
    EXPECT_EQ(status.pid, -7) << "a field past struct_size was written";
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
              WARDEN_ERR_NOT_SUPERVISED);
}

TEST_F(FakeHostServices, answer_http_from_the_table_and_refuse_the_rest) {
    host_.serve_http(4195, "/ready", warden::HttpResponse{503, "not ready: output"});
    const Host web = worker_host("benthos", "web");
    warden::HttpRequest request;
    request.port = 4195;
    request.path = "/ready";
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
