// tests/unit/wrapper_test.cpp — the C++ wrapper: the C tables it builds at
// compile time, and what its trampolines make of results and exceptions.
// A small plugin ("probe") is compiled into this test and driven through the
// SDK's fake host.
#include <warden/plugin.hpp>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

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

struct ProbePlugin {
    static constexpr std::string_view name = "probe-plugin";
    static constexpr std::string_view version = "0.0.1";
    using WorkerTypes = warden::WorkerTypes<ProbeWorker>;
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

// The tables are constant-initialised: no code runs when a plugin loads.
constexpr const warden_plugin &kTable = warden::detail::PluginTable<probe::ProbePlugin>::table;
static_assert(kTable.magic == WARDEN_PLUGIN_MAGIC);
static_assert(kTable.abi_version == WARDEN_ABI_VERSION);
static_assert(kTable.min_host_minor == 0);
static_assert(kTable.worker_type_count == 1);
constexpr const warden_worker_type &kType =
    warden::detail::WorkerTypeTable<probe::ProbeWorker>::table;
static_assert(kType.state_count == 2 && kType.action_count == 2);
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

}  // namespace
