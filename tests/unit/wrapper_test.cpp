// SPDX-License-Identifier: Apache-2.0
// tests/unit/wrapper_test.cpp — the C++ wrapper: the C tables it builds at
// compile time, what its trampolines make of results and exceptions, and
// the Host methods over the ABI 1.2 slots (ports, logs, commands).
// A small plugin ("probe", with worker types "probe" and "checked") is
// compiled into this test and driven through the SDK's fake host.
#include <warden/plugin.hpp>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace probe {

int g_init_calls = 0;
int g_shutdown_calls = 0;

struct Busy;
struct Nowhere;
struct Poke;

// Idle decides from the desired document, so each test can pick a branch.
struct Idle {
    static constexpr std::string_view name = "idle";
    static constexpr warden::Phase phase = warden::Phase::stopped;
    warden::Decision next(const warden::Snapshot &s) const {
        const std::string_view mode = s.desired_json();
        if (mode == R"({"mode":"go"})") return warden::transition<Busy>("going");
        if (mode == R"({"mode":"act"})") return warden::action<Poke>("poking");
        if (mode == R"({"mode":"remove"})")
            return warden::stay("done").with(warden::Signal::needs_removal);
        if (mode == R"({"mode":"nowhere"})") return warden::transition<Nowhere>("lost");
        if (mode == R"({"mode":"error"})") throw warden::Error(WARDEN_ERR_TIMEOUT, "took too long");
        if (mode == R"({"mode":"throw"})") throw std::runtime_error("bad arithmetic");
        return warden::stay("nothing to do");
    }
};

struct Busy {
    static constexpr std::string_view name = "busy";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description = "doing things";
    warden::Decision next(const warden::Snapshot &) const { return warden::stay(); }
};

// Not among the worker's states: the host must refuse a transition to it.
struct Nowhere {
    static constexpr std::string_view name = "nowhere";
    static constexpr warden::Phase phase = warden::Phase::stopping;
};

class ProbeWorker;

struct Poke {
    static constexpr std::string_view name = "poke";
    static constexpr uint32_t timeout_ms = 2500;
    static constexpr std::string_view description = "pokes";
    void execute(ProbeWorker &worker, const warden::Snapshot &, const warden::Cancel &) const;
};

struct Quiet {
    static constexpr std::string_view name = "quiet";
    void execute(ProbeWorker &, const warden::Snapshot &, const warden::Cancel &) const {}
};

class ProbeWorker : public warden::Worker {
public:
    static constexpr std::string_view type_name = "probe";
    using States = warden::States<Idle, Busy>;
    using Actions = warden::Actions<Poke, Quiet>;
    using InitialState = Idle;
    using Worker::Worker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &identity,
                                      std::string_view config) {
        if (config == "{}") throw warden::ConfigError("mode: required");
        if (identity.name() == "explodes") throw std::bad_alloc();
        return std::string(config);
    }
    std::string collect(const warden::Snapshot &, const warden::Cancel &) {
        return R"({"pokes":)" + std::to_string(pokes) + "}";
    }

    int pokes = 0;
};

void Poke::execute(ProbeWorker &worker, const warden::Snapshot &, const warden::Cancel &) const {
    ++worker.pokes;
    worker.host().info("poked " + worker.service_name());
}

// A worker type with a check_config hook: it reserves its port and runs its
// program's own config check, as a real plugin does before deploying.
class CheckedWorker : public warden::Worker {
public:
    static constexpr std::string_view type_name = "checked";
    using States = warden::States<Busy>;
    using Actions = warden::Actions<>;
    using InitialState = Busy;
    using Worker::Worker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &,
                                      std::string_view config) {
        return std::string(config);
    }
    static void check_config(const warden::Host &host, const warden::Identity &identity,
                             std::string_view desired, const warden::Cancel &cancel) {
        if (desired == R"({"mode":"throw"})") throw std::runtime_error("checker crashed");
        if (desired == R"({"mode":"bad"})") throw warden::ConfigError("mode: 'bad' is not a mode");
        const uint32_t port =
            host.reserve_port("http", desired == R"({"mode":"fixed"})" ? 4195 : 0);
        warden::Command command;
        command.argv = {"/usr/bin/probe-check", "--port", std::to_string(port), "config.json"};
        command.files = {{"config.json", std::string(desired), 0600}};
        command.timeout_ms = 5000;
        const warden::CommandResult result = host.run_command(command, cancel);
        if (!result.succeeded())
            throw warden::ConfigError(identity.service_name() + " config: " + result.output);
    }
    std::string collect(const warden::Snapshot &, const warden::Cancel &) { return "{}"; }
};

struct ProbePlugin {
    static constexpr std::string_view name = "probe-plugin";
    static constexpr std::string_view version = "0.0.1";
    using WorkerTypes = warden::WorkerTypes<ProbeWorker, CheckedWorker>;
    static void init(const warden::Host &host) {
        ++g_init_calls;
        host.info("init ran");
    }
    static void shutdown() { ++g_shutdown_calls; }
};

}  // namespace probe

WARDEN_PLUGIN(probe::ProbePlugin)

namespace {

using warden::testing::FakeHost;
using warden::testing::FakeWorker;

// The status a call threw, and its text.
struct Thrown {
    warden_status status = WARDEN_OK;
    std::string what;
};
template <typename Call>
Thrown thrown_by(Call &&call) {
    try {
        call();
    } catch (const warden::Error &e) {
        return {e.status(), e.what()};
    }
    return {};
}

// The tables are constant-initialised: no code runs when a plugin loads.
constexpr const warden_plugin &kTable = warden::detail::PluginTable<probe::ProbePlugin>::table;
static_assert(kTable.magic == WARDEN_PLUGIN_MAGIC);
static_assert(kTable.abi_version == WARDEN_ABI_VERSION);
static_assert(kTable.min_host_minor == 0);
static_assert(kTable.worker_type_count == 2);
constexpr const warden_worker_type &kType =
    warden::detail::WorkerTypeTable<probe::ProbeWorker>::table;
static_assert(kType.struct_size == sizeof(warden_worker_type));
static_assert(kType.state_count == 2 && kType.action_count == 2);
// check_config is filled only for a worker class that declares it.
static_assert(kType.check_config == nullptr);
constexpr const warden_worker_type &kCheckedType =
    warden::detail::WorkerTypeTable<probe::CheckedWorker>::table;
static_assert(kCheckedType.struct_size == sizeof(warden_worker_type));
static_assert(kCheckedType.check_config ==
              &warden::detail::WorkerTypeTable<probe::CheckedWorker>::check);
static_assert(kCheckedType.action_count == 0);
static_assert(kType.states[1]->phase == WARDEN_PHASE_RUNNING_HEALTHY);
static_assert(kType.actions[0]->timeout_ms == 2500 && kType.actions[1]->timeout_ms == 0);

class Wrapper : public ::testing::Test {
protected:
    FakeHost host_;
    const int init_calls_before_ = probe::g_init_calls;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = host_.worker_type("probe");
};

std::string mode(const char *m) {
    return std::string(R"({"mode":")") + m + "\"}";
}

TEST_F(Wrapper, entry_returns_the_table_with_names_and_descriptions) {
    EXPECT_EQ(plugin_, &kTable);
    EXPECT_EQ(warden::view(plugin_->name), "probe-plugin");
    EXPECT_EQ(warden::view(plugin_->version), "0.0.1");
    EXPECT_EQ(warden::view(type_->initial_state), "idle");
    EXPECT_EQ(warden::view(type_->states[0]->description), "");
    EXPECT_EQ(warden::view(type_->states[1]->description), "doing things");
    EXPECT_EQ(warden::view(type_->actions[0]->description), "pokes");
}

TEST_F(Wrapper, calls_the_plugins_init_with_the_host_and_shutdown_once) {
    EXPECT_EQ(probe::g_init_calls, init_calls_before_ + 1);
    EXPECT_TRUE(host_.logged("init ran", warden::Level::info));
    const int before = probe::g_shutdown_calls;
    host_.unload();
    host_.unload();
    EXPECT_EQ(probe::g_shutdown_calls, before + 1);
}

TEST_F(Wrapper, hands_the_derived_document_to_the_host) {
    FakeWorker worker(host_, type_, "w", mode("go"));
    const auto result = worker.derive();
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.output, mode("go"));
}

TEST_F(Wrapper, turns_a_config_error_into_invalid_argument_without_an_error_line) {
    FakeWorker worker(host_, type_, "w", "{}");
    const auto result = worker.derive();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error, "mode: required");
    EXPECT_FALSE(host_.logged("mode: required", warden::Level::error));
}

TEST_F(Wrapper, turns_any_other_exception_into_an_error_and_one_error_line) {
    FakeWorker worker(host_, type_, "explodes", mode("go"));
    const auto result = worker.derive();
    EXPECT_EQ(result.status, WARDEN_ERR);
    EXPECT_EQ(result.error, "uncaught exception in derive_desired_state: std::bad_alloc");
    EXPECT_TRUE(host_.logged("uncaught exception in derive_desired_state: std::bad_alloc",
                             warden::Level::error));
}

TEST_F(Wrapper, submits_transitions_actions_and_signals) {
    FakeWorker go(host_, type_, "go", mode("go"));
    go.derive();
    auto n = go.next();
    EXPECT_TRUE(n.ok()) << n.error;
    EXPECT_EQ(n.state, "busy");
    EXPECT_EQ(n.action, "");
    EXPECT_EQ(n.reason, "going");

    FakeWorker act(host_, type_, "act", mode("act"));
    act.derive();
    n = act.next();
    EXPECT_EQ(n.state, "");
    EXPECT_EQ(n.action, "poke");

    FakeWorker remove(host_, type_, "rm", mode("remove"));
    remove.derive();
    n = remove.next();
    EXPECT_EQ(n.reason, "done");
    EXPECT_EQ(n.signal, warden::Signal::needs_removal);
}

TEST_F(Wrapper, lets_the_host_refuse_a_transition_to_an_undeclared_state) {
    FakeWorker worker(host_, type_, "w", mode("nowhere"));
    worker.derive();
    const auto n = worker.next();
    EXPECT_EQ(n.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(n.error, "next returned state 'nowhere', which worker type 'probe' does not declare");
}

TEST_F(Wrapper, passes_errors_from_next_through) {
    FakeWorker error(host_, type_, "e", mode("error"));
    error.derive();
    auto n = error.next();
    EXPECT_EQ(n.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(n.error, "took too long");

    FakeWorker thrower(host_, type_, "t", mode("throw"));
    thrower.derive();
    n = thrower.next();
    EXPECT_EQ(n.status, WARDEN_ERR);
    EXPECT_EQ(n.error, "uncaught exception in next: bad arithmetic");
}

TEST_F(Wrapper, runs_actions_on_the_worker_object) {
    FakeWorker worker(host_, type_, "w", mode("act"));
    worker.derive();
    ASSERT_TRUE(worker.execute("poke").ok());
    ASSERT_TRUE(worker.execute("poke").ok());
    ASSERT_TRUE(worker.execute("quiet").ok());
    EXPECT_EQ(worker.collect().output, R"({"pokes":2})");
    EXPECT_TRUE(host_.logged("poked probe-w"));
}

TEST_F(Wrapper, refuses_an_unknown_state_or_action_by_name) {
    FakeWorker worker(host_, type_, "w", mode("go"));
    worker.derive();
    const auto unknown = worker.execute("juggle");
    EXPECT_EQ(unknown.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(unknown.error, "unknown action 'juggle' for worker type probe");

    warden_host_ctx *ctx =
        reinterpret_cast<warden_host_ctx *>(host_.make_context("probe/x", "probe", "x"));
    warden_identity id = WARDEN_INIT(warden_identity);
    id.type = warden::str("probe");
    id.name = warden::str("x");
    warden_worker *w = nullptr;
    ASSERT_EQ(type_->create(ctx, &id, &w), WARDEN_OK);
    warden_snapshot snap = WARDEN_INIT(warden_snapshot);
    snap.identity = &id;
    snap.state = warden::str("ghost");
    EXPECT_EQ(type_->next(w, &snap, nullptr), WARDEN_ERR_INVALID_ARGUMENT);
    type_->destroy(w);
}

// ---- check_config ---------------------------------------------------------

class CheckConfig : public Wrapper {
protected:
    const warden_worker_type *checked_ = host_.worker_type("checked");
};

TEST_F(CheckConfig, is_ok_for_a_worker_type_without_the_hook) {
    EXPECT_EQ(type_->check_config, nullptr);
    FakeWorker worker(host_, type_, "w", mode("go"));
    const auto result = worker.check_config();
    EXPECT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(worker.desired_json(), mode("go")) << "check_config derives first";
}

TEST_F(CheckConfig, runs_the_programs_check_with_a_reserved_port_that_is_not_kept) {
    host_.on_command([](const warden::Command &) { return warden::CommandResult{0, 0, "ok\n"}; });
    FakeWorker worker(host_, checked_, "w", mode("go"));
    const auto result = worker.check_config();
    ASSERT_TRUE(result.ok()) << result.error;
    const auto commands = host_.commands();
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_EQ(commands[0].argv,
              (std::vector<std::string>{"/usr/bin/probe-check", "--port", "24000", "config.json"}));
    ASSERT_EQ(commands[0].files.size(), 1u);
    EXPECT_EQ(commands[0].files[0].path, "config.json");
    EXPECT_EQ(commands[0].files[0].content, mode("go"));
    EXPECT_EQ(commands[0].files[0].mode, 0600u);
    EXPECT_EQ(commands[0].timeout_ms, 5000u);
    EXPECT_FALSE(host_.reserved_port("checked", "w", "http").has_value())
        << "a config check keeps no reservation";
}

TEST_F(CheckConfig, reports_the_checkers_output_as_an_invalid_config) {
    host_.on_command([](const warden::Command &) {
        return warden::CommandResult{1, 0, "line 3: unknown input 'kafkaa'"};
    });
    FakeWorker worker(host_, checked_, "w", mode("go"));
    const auto result = worker.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error, "checked-w config: line 3: unknown input 'kafkaa'");
    EXPECT_FALSE(host_.logged("kafkaa", warden::Level::error));
}

TEST_F(CheckConfig, maps_errors_and_other_exceptions_like_every_hook) {
    FakeWorker bad(host_, checked_, "b", mode("bad"));
    auto result = bad.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error, "mode: 'bad' is not a mode");

    FakeWorker thrower(host_, checked_, "t", mode("throw"));
    result = thrower.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR);
    EXPECT_EQ(result.error, "uncaught exception in check_config: checker crashed");
    EXPECT_TRUE(
        host_.logged("uncaught exception in check_config: checker crashed", warden::Level::error));
}

TEST_F(CheckConfig, reports_a_port_another_worker_holds_as_a_conflict) {
    host_.hold_port("checked", "other", "http", 4195);
    FakeWorker worker(host_, checked_, "w", mode("fixed"));
    const auto result = worker.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(result.error,
              "reserve port 'http': port 4195 is reserved by worker checked/other for http; "
              "give checked/w another port");
    EXPECT_TRUE(host_.commands().empty());
}

TEST_F(CheckConfig, stops_before_the_command_when_the_host_cancels) {
    bool called = false;
    host_.on_command([&](const warden::Command &) {
        called = true;
        return warden::CommandResult{};
    });
    FakeWorker worker(host_, checked_, "w", mode("go"));
    worker.cancel_hooks(true);
    const auto result = worker.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_CANCELLED);
    EXPECT_EQ(result.error,
              "run command '/usr/bin/probe-check': command /usr/bin/probe-check: cancelled by "
              "the host, killed after 0 ms");
    EXPECT_FALSE(called);
}

// ---- Host over the ABI 1.2 slots ------------------------------------------------

class HostSlots : public ::testing::Test {
protected:
    warden::Host worker_host(const char *type, const char *name) {
        auto *ctx = host_.make_context(std::string(type) + "/" + name, type, name);
        return warden::Host(host_.services(), reinterpret_cast<warden_host_ctx *>(ctx));
    }
    FakeHost host_;
};

TEST_F(HostSlots, reserve_port_returns_the_hosts_port_and_throws_its_conflict) {
    const warden::Host web = worker_host("benthos", "web");
    EXPECT_TRUE(web.offers_ports());
    EXPECT_EQ(web.reserve_port("http"), 24000u);
    EXPECT_EQ(web.reserve_port("http"), 24000u);
    EXPECT_EQ(web.reserve_port("http", 4195), 4195u);
    const Thrown conflict =
        thrown_by([&] { worker_host("benthos", "db").reserve_port("http", 4195); });
    EXPECT_EQ(conflict.status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(conflict.what,
              "reserve port 'http': port 4195 is reserved by worker benthos/web for http; give "
              "benthos/db another port");
    EXPECT_EQ(thrown_by([&] { web.reserve_port("HTTP"); }).status, WARDEN_ERR_INVALID_ARGUMENT);
}

TEST_F(HostSlots, read_log_returns_the_last_lines_oldest_first) {
    host_.set_log("benthos-web", {"one", "two", "three"});
    const warden::Host web = worker_host("benthos", "web");
    EXPECT_TRUE(web.offers_log_read());
    EXPECT_EQ(web.read_log("benthos-web"), (std::vector<std::string>{"one", "two", "three"}));
    EXPECT_EQ(web.read_log("benthos-web", 2), (std::vector<std::string>{"two", "three"}));
    EXPECT_TRUE(web.read_log("benthos-web-sidecar").empty());
    const Thrown other = thrown_by([&] { web.read_log("benthos-db"); });
    EXPECT_EQ(other.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(other.what,
              "read log 'benthos-db': service 'benthos-db' is outside the scope of benthos/web "
              "(benthos-web, benthos-web-*)");
}

TEST_F(HostSlots, run_command_returns_for_any_exit_and_throws_for_host_failures) {
    const warden::Host web = worker_host("benthos", "web");
    EXPECT_TRUE(web.offers_commands());
    warden::Command command;
    command.argv = {"/usr/bin/benthos", "lint", "config.yaml"};
    const Thrown none = thrown_by([&] { web.run_command(command); });
    EXPECT_EQ(none.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(none.what,
              "run command '/usr/bin/benthos': command /usr/bin/benthos: cannot run it: no "
              "command handler in this fake host");

    host_.on_command([](const warden::Command &c) {
        if (c.argv.size() > 1 && c.argv[1] == "hang")
            throw warden::Error(WARDEN_ERR_TIMEOUT, "killed after 10000 ms");
        if (c.argv.size() > 1 && c.argv[1] == "loud")
            return warden::CommandResult{0, 0, std::string(100'000, 'x')};
        if (c.argv.size() > 1 && c.argv[1] == "killed") return warden::CommandResult{0, 9, {}};
        return warden::CommandResult{3, 0, "config.yaml: line 1: bad input"};
    });
    const warden::CommandResult failed = web.run_command(command);
    EXPECT_EQ(failed.exit_code, 3);
    EXPECT_EQ(failed.signal, 0);
    EXPECT_FALSE(failed.succeeded());
    EXPECT_EQ(failed.output, "config.yaml: line 1: bad input");

    command.argv = {"/usr/bin/benthos", "killed"};
    const warden::CommandResult killed = web.run_command(command);
    EXPECT_EQ(killed.signal, 9);
    EXPECT_FALSE(killed.succeeded());

    command.argv = {"/usr/bin/benthos", "loud"};
    const warden::CommandResult loud = web.run_command(command);
    EXPECT_TRUE(loud.succeeded());
    EXPECT_EQ(loud.output.size(), std::size_t{64 * 1024}) << "output is the first 64 KiB";

    command.argv = {"/usr/bin/benthos", "hang"};
    const Thrown hung = thrown_by([&] { web.run_command(command); });
    EXPECT_EQ(hung.status, WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(hung.what, "run command '/usr/bin/benthos': killed after 10000 ms");

    warden::testing::fake_detail::CancelToken token;
    token.requested = true;
    const warden::Cancel cancel(host_.services(), reinterpret_cast<const warden_cancel *>(&token));
    EXPECT_EQ(thrown_by([&] { web.run_command(command, cancel); }).status, WARDEN_ERR_CANCELLED);
}

TEST_F(HostSlots, say_which_slot_a_host_without_them_does_not_offer) {
    host_.remove_service_slots();
    const warden::Host web = worker_host("benthos", "web");
    EXPECT_FALSE(web.offers_ports());
    EXPECT_FALSE(web.offers_log_read());
    EXPECT_FALSE(web.offers_commands());
    const std::string abi = warden::abi_version_text(WARDEN_ABI_VERSION);
    const Thrown port = thrown_by([&] { web.reserve_port("http"); });
    EXPECT_EQ(port.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(port.what, "reserve port: this host does not offer it (host ABI " + abi + ")");
    EXPECT_EQ(thrown_by([&] { web.read_log("benthos-web"); }).what,
              "read log: this host does not offer it (host ABI " + abi + ")");
    EXPECT_EQ(thrown_by([&] { web.run_command(warden::Command{}); }).what,
              "run command: this host does not offer it (host ABI " + abi + ")");
    EXPECT_EQ(thrown_by([&] { web.http(warden::HttpRequest{}); }).what,
              "http probe: this host does not offer it (host ABI " + abi + ")");
}

// A 1.1 host's table ends before the 1.2 slots: they are not offered even
// if the bytes past its struct_size happen to be non-NULL.
TEST_F(HostSlots, read_no_slot_past_the_hosts_struct_size) {
    warden_host_services older = *host_.services();
    older.struct_size = offsetof(warden_host_services, port_reserve);
    older.abi_version = WARDEN_MAKE_ABI_VERSION(1, 1);
    auto *ctx = host_.make_context("benthos/web", "benthos", "web");
    const warden::Host web(&older, reinterpret_cast<warden_host_ctx *>(ctx));
    ASSERT_NE(older.port_reserve, nullptr);
    EXPECT_TRUE(web.offers_services());
    EXPECT_FALSE(web.offers_ports());
    EXPECT_FALSE(web.offers_log_read());
    EXPECT_FALSE(web.offers_commands());
    EXPECT_EQ(thrown_by([&] { web.reserve_port("http"); }).what,
              "reserve port: this host does not offer it (host ABI 1.1)");
}

// ---- Host over the ABI 1.4 slot and fields ---------------------------------------

TEST_F(HostSlots, service_account_says_who_a_spec_runs_as_and_throws_the_hosts_refusal) {
    host_.accounts().add_user("web", 1000, 1000);
    const warden::Host web = worker_host("exec", "web");
    ASSERT_TRUE(web.offers_service_accounts());
    const warden::ServiceAccount nobody = web.service_account("nobody", "");
    EXPECT_TRUE(nobody.switched);
    EXPECT_EQ(nobody.uid, 65534u);
    EXPECT_EQ(nobody.gid, 65534u);
    const warden::ServiceAccount itself = web.service_account("", "");
    EXPECT_FALSE(itself.switched);
    EXPECT_EQ(itself.uid, 0u) << "the fake host plays root";
    const Thrown ghost = thrown_by([&] { web.service_account("ghost", ""); });
    EXPECT_EQ(ghost.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ghost.what, "user 'ghost' does not exist on this machine");

    warden::rules::HostAccount web_host;
    web_host.uid = web_host.gid = 1000;
    web_host.user = web_host.group = "web";
    host_.set_host_account(web_host);
    const Thrown refused = thrown_by([&] { web.service_account("nobody", ""); });
    EXPECT_EQ(refused.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(refused.what,
              "running as user 'nobody' needs a host running as root; the host runs as user "
              "'web'");
    warden::ServiceSpec spec;
    spec.name = "exec-web";
    spec.argv = {"/bin/sleep", "1"};
    spec.user = "nobody";
    const Thrown create = thrown_by([&] { web.create_service(spec); });
    EXPECT_EQ(create.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(create.what,
              "create service 'exec-web': service 'exec-web': running as user 'nobody' needs a "
              "host running as root; the host runs as user 'web'");
    spec.user = "web";
    web.create_service(spec);
    EXPECT_EQ(host_.service("exec-web").spec.user, "web") << "kept as the plugin gave it";
}

// A 1.3 host reads no user or group: the wrapper refuses to hand it a spec
// with one, which it would run as itself without a word [WP-ABI-6].
TEST_F(HostSlots, refuse_a_user_or_group_on_a_host_older_than_1_4) {
    warden_host_services older = *host_.services();
    older.struct_size = offsetof(warden_host_services, service_account);
    older.abi_version = WARDEN_MAKE_ABI_VERSION(1, 3);
    auto *ctx = host_.make_context("exec/web", "exec", "web");
    const warden::Host web(&older, reinterpret_cast<warden_host_ctx *>(ctx));
    ASSERT_NE(older.service_account, nullptr);
    EXPECT_TRUE(web.offers_services());
    EXPECT_FALSE(web.offers_service_accounts());
    warden::ServiceSpec spec;
    spec.name = "exec-web";
    spec.argv = {"/bin/sleep", "1"};
    spec.group = "nogroup";
    const Thrown create = thrown_by([&] { web.create_service(spec); });
    EXPECT_EQ(create.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(create.what,
              "create service 'exec-web': a user or group needs a host speaking ABI 1.4 or newer "
              "(host ABI 1.3)");
    EXPECT_FALSE(host_.has_service("exec-web"));
    EXPECT_EQ(thrown_by([&] { web.service_account("nobody", ""); }).what,
              "service account: this host does not offer it (host ABI 1.3)");
    spec.group.clear();
    web.create_service(spec);
    EXPECT_TRUE(host_.has_service("exec-web")) << "a spec without them is a 1.3 spec";
}

// ---- Host over the ABI 1.5 slot ----------------------------------------------------

TEST_F(HostSlots, publish_figure_hands_the_host_every_field_and_throws_its_refusal) {
    const warden::Host web = worker_host("redpanda", "web");
    ASSERT_TRUE(web.offers_figures());
    warden::Figure bytes;
    bytes.name = "bytes_total";
    bytes.kind = warden::FigureKind::counter;
    bytes.help = "Bytes produced.";
    bytes.label_name = "topic";
    bytes.label_value = "sensors";
    bytes.value = 2048;
    web.publish_figure(bytes);
    const auto published = host_.figure("redpanda", "web", "bytes_total", "sensors");
    ASSERT_TRUE(published.has_value());
    EXPECT_EQ(published->kind, warden::FigureKind::counter);
    EXPECT_EQ(published->help, "Bytes produced.");
    EXPECT_EQ(published->label_name, "topic");
    EXPECT_EQ(published->value, 2048);

    bytes.label_value = "";
    const Thrown refused = thrown_by([&] { web.publish_figure(bytes); });
    EXPECT_EQ(refused.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(refused.what,
              "figure 'bytes_total': label 'topic' has an empty value, which Prometheus reads as "
              "no label");
}

// A 1.4 host's table ends before figure_publish: the wrapper says so
// rather than reading past it.
TEST_F(HostSlots, refuse_a_figure_on_a_host_older_than_1_5) {
    warden_host_services older = *host_.services();
    older.struct_size = offsetof(warden_host_services, figure_publish);
    older.abi_version = WARDEN_MAKE_ABI_VERSION(1, 4);
    auto *ctx = host_.make_context("redpanda/web", "redpanda", "web");
    const warden::Host web(&older, reinterpret_cast<warden_host_ctx *>(ctx));
    ASSERT_NE(older.figure_publish, nullptr);
    EXPECT_TRUE(web.offers_service_accounts());
    EXPECT_FALSE(web.offers_figures());
    warden::Figure depth;
    depth.name = "depth";
    depth.help = "Queue depth.";
    const Thrown old_host = thrown_by([&] { web.publish_figure(depth); });
    EXPECT_EQ(old_host.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(old_host.what,
              "publish figure 'depth': figures need a host speaking ABI 1.5 or newer (host ABI "
              "1.4)");
    EXPECT_TRUE(host_.figures().empty());
}

}  // namespace
