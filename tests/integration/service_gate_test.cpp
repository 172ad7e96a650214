// SPDX-License-Identifier: Apache-2.0
// tests/integration/service_gate_test.cpp — the service slots of the host
// services table, called as a plugin calls them, on a real s6-svscan: each
// worker reaches only its own services, and every call leaves one audit line.
#include "plugin_services/service_gate.hpp"
#include "plugin_services/handles.hpp"
#include "plugin_services/host_services.hpp"
#include "s6/s6_client.hpp"

#include "log_capture.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::LogCapture;
using warden::test::S6Sandbox;
using warden::test::wait_until;

const warden_host_services &host() {
    return *host_services();
}

// A view of `text`: keep the string alive while the view is used.
warden_str s(const std::string &text) {
    return warden_str{text.data(), text.size()};
}
warden_str s(const char *literal) {
    return warden_str_from_cstr(literal);
}

std::string last_error() {
    std::string text;
    host().last_service_error(
        nullptr,
        [](void *user, warden_str data) {
            static_cast<std::string *>(user)->append(data.ptr, data.len);
        },
        &text);
    return text;
}

class ServiceSlots : public ::testing::Test {
protected:
    // A worker context of type exec, attached to the gate as a worker is.
    warden_host_ctx worker(const std::string &name) {
        gate_.attach("exec", name);
        attached_.push_back(name);
        return warden_host_ctx{"exec/" + name, "exec", name, &gate_};
    }
    ~ServiceSlots() override {
        for (const auto &name : attached_) gate_.detach("exec", name);
    }
    warden_status create(warden_host_ctx &ctx, const std::string &name) {
        const std::string program = paths::service_fixture;
        const std::vector<warden_str> argv = {s(program), s("say"), s("x")};
        warden_service_spec spec = WARDEN_INIT(warden_service_spec);
        spec.name = s(name);
        spec.argv = argv.data();
        spec.argc = argv.size();
        return host().service_create(&ctx, &spec);
    }
    warden_service_status observe(warden_host_ctx &ctx, const std::string &name) {
        warden_service_status status = WARDEN_INIT(warden_service_status);
        EXPECT_EQ(host().service_observe(&ctx, s(name), &status), WARDEN_OK) << last_error();
        return status;
    }

    LogCapture log_;
    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
    ServiceGate gate_{client_};
    std::vector<std::string> attached_;
};

// What the metrics endpoint shows of services: each as its worker last
// observed it, kept across a restart of the worker (detach and attach),
// dropped when it is removed or its worker leaves for good; a worker with a
// longer name keeps its own.
TEST_F(ServiceSlots, the_gate_keeps_what_each_worker_last_observed) {
    warden_host_ctx web = worker("web");
    warden_host_ctx web2 = worker("web-2");
    ASSERT_EQ(create(web, "exec-web"), WARDEN_OK) << last_error();
    ASSERT_EQ(create(web, "exec-web-db"), WARDEN_OK) << last_error();
    ASSERT_EQ(create(web2, "exec-web-2"), WARDEN_OK) << last_error();
    ASSERT_TRUE(
        wait_until([&] { return (observe(web, "exec-web").flags & WARDEN_SERVICE_UP) != 0; }));
    observe(web, "exec-web-db");
    observe(web2, "exec-web-2");
    const auto names = [&] {
        std::vector<std::string> out;
        for (const auto &[name, status] : gate_.last_observed()) out.push_back(name);
        return out;
    };
    EXPECT_EQ(names(), (std::vector<std::string>{"exec-web", "exec-web-2", "exec-web-db"}));
    EXPECT_TRUE(gate_.last_observed().front().second.up);

    gate_.detach("exec", "web");  // a restart: the worker goes and comes back
    gate_.attach("exec", "web");
    EXPECT_EQ(names().size(), 3u);

    ASSERT_EQ(host().service_remove(&web, s("exec-web-db"), 0), WARDEN_OK) << last_error();
    EXPECT_EQ(names(), (std::vector<std::string>{"exec-web", "exec-web-2"}));

    // Left the config (detached, then forgotten): web-2's stays.
    gate_.detach("exec", "web");
    attached_.erase(attached_.begin());
    gate_.forget_worker("exec", "web");
    EXPECT_EQ(names(), (std::vector<std::string>{"exec-web-2"}));
}

TEST_F(ServiceSlots, a_worker_creates_observes_stops_and_removes_its_own_services) {
    warden_host_ctx web = worker("web");
    ASSERT_EQ(create(web, "exec-web"), WARDEN_OK) << last_error();
    ASSERT_EQ(create(web, "exec-web-sidecar"), WARDEN_OK) << last_error();
    ASSERT_TRUE(
        wait_until([&] { return (observe(web, "exec-web").flags & WARDEN_SERVICE_UP) != 0; }));
    const warden_service_status up = observe(web, "exec-web");
    EXPECT_NE(up.flags & WARDEN_SERVICE_SUPERVISED, 0u);
    EXPECT_NE(up.flags & WARDEN_SERVICE_WANT_UP, 0u);
    EXPECT_GT(up.pid, 0);

    std::vector<std::string> names;
    ASSERT_EQ(host().service_list(
                  &web, s("exec-web"),
                  [](void *user, warden_str n) {
                      static_cast<std::vector<std::string> *>(user)->emplace_back(n.ptr, n.len);
                  },
                  &names),
              WARDEN_OK);
    EXPECT_EQ(names, (std::vector<std::string>{"exec-web", "exec-web-sidecar"}));

    ASSERT_EQ(host().service_control(&web, s("exec-web"), WARDEN_SERVICE_STOP, 0), WARDEN_OK)
        << last_error();
    EXPECT_EQ(observe(web, "exec-web").flags & WARDEN_SERVICE_UP, 0u);
    ASSERT_EQ(host().service_remove(&web, s("exec-web"), 0), WARDEN_OK) << last_error();
    EXPECT_EQ(observe(web, "exec-web").flags & WARDEN_SERVICE_EXISTS, 0u);
    EXPECT_EQ(log_.count("audit worker=exec/web operation=remove service=exec-web result=ok "
                         "duration_us="),
              1)
        << log_.text();
}

TEST_F(ServiceSlots, refuses_names_outside_the_workers_scope_with_one_audit_line) {
    warden_host_ctx web = worker("web");
    for (const std::string other : {"exec-db", "benthos-web", "exec-webby", "exec"}) {
        EXPECT_EQ(create(web, other), WARDEN_ERR_NOT_PERMITTED) << other;
        EXPECT_EQ(last_error(), "service '" + other +
                                    "' is outside the scope of exec/web (exec-web, "
                                    "exec-web-*)");
        EXPECT_EQ(log_.count("audit worker=exec/web operation=create service=" + other +
                             " result=\"not permitted\""),
                  1)
            << log_.text();
        EXPECT_FALSE(std::filesystem::exists(sandbox_.scan_dir() / other));
    }
    EXPECT_EQ(host().service_remove(&web, s("exec-db"), 0), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(host().service_control(&web, s("exec-db"), WARDEN_SERVICE_STOP, 0),
              WARDEN_ERR_NOT_PERMITTED);
}

TEST_F(ServiceSlots, a_longer_named_worker_owns_its_services_against_a_shorter_one) {
    warden_host_ctx web = worker("web");
    warden_host_ctx web2 = worker("web-2");
    ASSERT_EQ(create(web2, "exec-web-2"), WARDEN_OK) << last_error();
    EXPECT_EQ(host().service_remove(&web, s("exec-web-2"), 0), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(last_error(), "service 'exec-web-2' belongs to worker exec/web-2, not to exec/web");
    EXPECT_EQ(create(web, "exec-web-2-db"), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(create(web, "exec-web-20"), WARDEN_OK) << "web-20 is not web-2's: " << last_error();
    std::vector<std::string> names;
    ASSERT_EQ(host().service_list(
                  &web, s("exec-web"),
                  [](void *user, warden_str n) {
                      static_cast<std::vector<std::string> *>(user)->emplace_back(n.ptr, n.len);
                  },
                  &names),
              WARDEN_OK);
    EXPECT_EQ(names, (std::vector<std::string>{"exec-web-20"}))
        << "web does not see web-2's services";
}

TEST_F(ServiceSlots, refuses_bad_names_unknown_values_and_a_plugin_context) {
    warden_host_ctx web = worker("web");
    EXPECT_EQ(create(web, "exec-web/../../etc"), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_error(),
              "invalid service name 'exec-web/../../etc': names are [a-z0-9][a-z0-9_-]{0,63}");
    ASSERT_EQ(create(web, "exec-web"), WARDEN_OK) << last_error();
    EXPECT_EQ(host().service_control(&web, s("exec-web"), 42, 0), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(last_error(), "unknown service command 42");
    EXPECT_EQ(host().service_remove(&web, s("exec-web"), 0x100), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(host().service_control(&web, s("exec-web"), WARDEN_SERVICE_SIGNAL, 31 /* SIGSYS */),
              WARDEN_ERR_UNSUPPORTED);

    warden_host_ctx plugin{"plugin exec", {}, {}, &gate_};
    EXPECT_EQ(create(plugin, "exec-web"), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(
        last_error(),
        "service 'exec-web': plugin exec is a plugin, not a worker; only workers own services");
}

TEST_F(ServiceSlots, reads_a_spec_within_its_struct_size_and_applies_defaults) {
    warden_host_ctx web = worker("web");
    const std::string program = paths::service_fixture, name = "exec-web";
    const std::vector<warden_str> argv = {s(program), s("say"), s("x")};
    warden_service_spec spec = WARDEN_INIT(warden_service_spec);
    spec.name = s(name);
    spec.argv = argv.data();
    spec.argc = argv.size();
    spec.flags = 0x80;  // a flag from a later ABI
    EXPECT_EQ(host().service_create(&web, &spec), WARDEN_ERR_UNSUPPORTED) << last_error();
    spec.flags = 0;
    ASSERT_EQ(host().service_create(&web, &spec), WARDEN_OK) << last_error();
    const auto dir = client_.service_dir("exec-web");
    EXPECT_EQ(warden::test::read_file(dir / "timeout-kill"), "10000\n");
    EXPECT_EQ(warden::test::read_file(dir / "down-signal"), "15\n");
    EXPECT_NE(warden::test::read_file(dir / "log" / "run").find("\"n10\" \"s1000000\""),
              std::string::npos);
}

}  // namespace
}  // namespace warden::host
