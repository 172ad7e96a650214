// SPDX-License-Identifier: Apache-2.0
// tests/unit/host_services_test.cpp — the host services, called
// through the table exactly as a plugin calls them.
#include "plugin_services/host_services.hpp"
#include "metrics/plugin_figures.hpp"
#include "plugin_services/handles.hpp"

#include "log_capture.hpp"
#include "sample_type.hpp"

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include <thread>

namespace warden::host {
namespace {

using warden::test::LogCapture;

const warden_host_services &host() {
    return *host_services();
}

warden_str s(const char *text) {
    return warden_str_from_cstr(text);
}

std::string last_service_error() {
    std::string text;
    host().last_service_error(
        nullptr,
        [](void *user, warden_str data) {
            static_cast<std::string *>(user)->append(data.ptr, data.len);
        },
        &text);
    return text;
}

using warden::test::SampleType;

warden_decision decision(const char *state, const char *action, const char *reason) {
    warden_decision d = WARDEN_INIT(warden_decision);
    d.state = s(state);
    d.action = s(action);
    d.reason = s(reason);
    return d;
}

TEST(HostServices, describe_abi_1_5_and_fill_every_slot) {
    EXPECT_EQ(host().struct_size, sizeof(warden_host_services));
    EXPECT_EQ(host().abi_version, WARDEN_MAKE_ABI_VERSION(1, 5));
    EXPECT_NE(host().log_write, nullptr);
    EXPECT_NE(host().decision_submit, nullptr);
    EXPECT_NE(host().service_create, nullptr);
    EXPECT_NE(host().service_observe, nullptr);
    EXPECT_NE(host().service_control, nullptr);
    EXPECT_NE(host().service_remove, nullptr);
    EXPECT_NE(host().service_list, nullptr);
    EXPECT_NE(host().http_probe, nullptr);
    EXPECT_NE(host().port_reserve, nullptr);
    EXPECT_NE(host().service_log_read, nullptr);
    EXPECT_NE(host().command_run, nullptr);
    EXPECT_NE(host().service_account, nullptr);
    EXPECT_NE(host().figure_publish, nullptr);
}

// A worker's context reaches the store its gate was given; the running
// host's contexts get it so (PluginWorker), this test's directly.
TEST(HostServices, publish_a_workers_figures_into_its_store) {
    PluginFigures figures;
    warden_host_ctx web{"benthos/web", "benthos", "web"};
    web.figures = &figures;
    warden_figure figure = WARDEN_INIT(warden_figure);
    figure.kind = WARDEN_FIGURE_COUNTER;
    figure.name = s("output_sent_total");
    figure.help = s("Messages the outputs sent.");
    figure.value = 42;
    EXPECT_EQ(host().figure_publish(&web, &figure), WARDEN_OK);
    EXPECT_EQ(last_service_error(), "");
    const auto families = figures.collect();
    ASSERT_EQ(families.size(), 1u);
    EXPECT_EQ(families[0].name, "warden_plugin_benthos_output_sent_total");
    EXPECT_EQ(families[0].metric.at(0).counter.value, 42);

    figure.value = -1;
    EXPECT_EQ(host().figure_publish(&web, &figure), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(),
              "figure 'output_sent_total': counter value -1 is negative; a counter's value is its "
              "total");
    warden_host_ctx derive{"benthos/web", "benthos", "web"};
    EXPECT_EQ(host().figure_publish(&derive, &figure), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(host().figure_publish(nullptr, &figure), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(), "figure_publish: NULL context");
}

TEST(HostServices, refuse_service_operations_from_a_caller_without_a_scan_dir) {
    // A worker context made without a gate, as for derive_desired_state.
    warden_host_ctx derive_ctx{"exec/x", "exec", "x"};
    warden_service_status status = WARDEN_INIT(warden_service_status);
    EXPECT_EQ(host().service_observe(&derive_ctx, s("exec-x"), &status), WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(last_service_error(),
              "service operations need a scan dir, and this caller has none (a plugin's own "
              "context, or a worker made without one)");
    EXPECT_EQ(host().service_create(&derive_ctx, nullptr), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(), "NULL service spec");
}

TEST(HostServices, refuse_service_operations_from_a_plugins_own_context_as_a_gate_does) {
    LogCapture log;
    warden_host_ctx plugin_ctx{"plugin p", {}, {}};
    warden_service_status status = WARDEN_INIT(warden_service_status);
    EXPECT_EQ(host().service_observe(&plugin_ctx, s("exec-x"), &status), WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(last_service_error(),
              "service 'exec-x': plugin p is a plugin, not a worker; only workers own services");
    EXPECT_EQ(log.count("warning audit worker=plugin p operation=observe service=exec-x"), 1)
        << log.text();
    EXPECT_EQ(host().service_remove(&plugin_ctx, s("Exec-x"), 0), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(),
              "invalid service name 'Exec-x': names are [a-z0-9][a-z0-9_-]{0,63}");
}

TEST(HostServices, hand_last_service_error_a_copy_its_callback_may_outlive) {
    warden_json_sink sink;
    ASSERT_EQ(host().json_sink_write(nullptr, s("x")), WARDEN_ERR_INVALID_ARGUMENT);
    // The callback calls a service that succeeds, and so clears the thread's
    // text, while it still reads the text it was handed.
    struct Reader {
        warden_json_sink *sink;
        std::string seen;
    } reader{&sink, {}};
    host().last_service_error(
        nullptr,
        [](void *user, warden_str data) {
            auto *r = static_cast<Reader *>(user);
            const std::string before(data.ptr, data.len);
            EXPECT_EQ(host().json_sink_write(r->sink, s("{}")), WARDEN_OK);
            r->seen = before + "|" + std::string(data.ptr, data.len);
        },
        &reader);
    EXPECT_EQ(reader.seen, "json_sink_write: NULL sink or text|json_sink_write: NULL sink or text");
    EXPECT_EQ(last_service_error(), "");
}

TEST(HostServices, log_with_the_callers_label_and_respect_the_level) {
    LogCapture log;
    warden_host_ctx ctx{"exec/sleeper", "exec", "sleeper"};
    host().log_write(&ctx, WARDEN_LOG_WARN, s("disk almost full"));
    EXPECT_EQ(log.count("warning [exec/sleeper] disk almost full"), 1) << log.text();
    spdlog::default_logger()->set_level(spdlog::level::info);
    EXPECT_FALSE(host().log_enabled(&ctx, WARDEN_LOG_DEBUG));
    EXPECT_TRUE(host().log_enabled(&ctx, WARDEN_LOG_ERROR));
}

TEST(HostServices, keep_a_plugins_log_message_on_one_line) {
    LogCapture log;
    warden_host_ctx ctx{"plugin sneaky", {}, {}};
    host().log_write(&ctx, WARDEN_LOG_INFO, s("done\ninfo plugin /fake.so loaded"));
    ASSERT_EQ(log.lines().size(), 1u);
    EXPECT_EQ(log.lines()[0], "info [plugin sneaky] done\\x0ainfo plugin /fake.so loaded");
}

TEST(HostServices, keep_set_error_per_thread_until_taken) {
    warden_host_ctx ctx{"plugin p", {}, {}};
    HookError mine;
    host().set_error(&ctx, s("first"));
    host().set_error(&ctx, s("second"));
    std::thread other([&] {
        HookError theirs;
        host().set_error(&ctx, s("other thread"));
        EXPECT_EQ(theirs.take(), "other thread");
    });
    other.join();
    EXPECT_EQ(mine.take(), "second");
    EXPECT_EQ(mine.take(), "");
}

TEST(HostServices, append_everything_written_to_a_json_sink) {
    warden_json_sink sink;
    EXPECT_EQ(host().json_sink_write(&sink, s("{\"a\":")), WARDEN_OK);
    EXPECT_EQ(host().json_sink_write(&sink, s("1}")), WARDEN_OK);
    EXPECT_EQ(sink.text, "{\"a\":1}");
    EXPECT_EQ(host().json_sink_write(nullptr, s("x")), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(), "json_sink_write: NULL sink or text");
}

TEST(HostServices, refuse_a_json_document_past_its_bound) {
    warden_json_sink sink;
    const std::string chunk(WARDEN_MAX_JSON_BYTES / 4, ' ');
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(host().json_sink_write(&sink, warden_str{chunk.data(), chunk.size()}), WARDEN_OK);
    EXPECT_EQ(host().json_sink_write(&sink, s("{}")), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(last_service_error(), "json_sink_write: the document would pass 4 MiB");
}

TEST(HostServices, keep_a_bounded_escaped_reason_and_error_text) {
    const SampleType sample;
    warden_decision_sink sink(sample.table);
    const std::string reason = std::string(WARDEN_MAX_REASON_BYTES, 'r') + "\nmore";
    warden_decision d = decision("running", "", "");
    d.reason = warden_str{reason.data(), reason.size()};
    ASSERT_EQ(host().decision_submit(&sink, &d), WARDEN_OK);
    EXPECT_EQ(sink.decision.reason, std::string(WARDEN_MAX_REASON_BYTES, 'r') + "...");

    warden_host_ctx ctx{"exec/sleeper", "exec", "sleeper"};
    HookError error;
    const std::string text(WARDEN_MAX_TEXT_BYTES + 10, 'e');
    host().set_error(&ctx, warden_str{text.data(), text.size()});
    EXPECT_EQ(error.take(), std::string(WARDEN_MAX_TEXT_BYTES, 'e'));
}

TEST(HostServices, accept_a_state_or_an_action_with_a_reason_and_signal) {
    const SampleType sample;
    warden_decision_sink to_state(sample.table);
    warden_decision d = decision("running", "", "process up");
    d.signal = WARDEN_SIGNAL_NEEDS_RESTART;
    EXPECT_EQ(host().decision_submit(&to_state, &d), WARDEN_OK);
    EXPECT_EQ(to_state.decision.state, "running");
    EXPECT_EQ(to_state.decision.reason, "process up");
    EXPECT_EQ(to_state.decision.signal, WARDEN_SIGNAL_NEEDS_RESTART);
    EXPECT_TRUE(to_state.error.empty());

    warden_decision_sink to_action(sample.table);
    const warden_decision a = decision("", "start", "service missing");
    EXPECT_EQ(host().decision_submit(&to_action, &a), WARDEN_OK);
    EXPECT_EQ(to_action.decision.action, "start");
}

TEST(HostServices, refuse_a_decision_with_both_a_state_and_an_action) {
    const SampleType sample;
    warden_decision_sink sink(sample.table);
    const warden_decision both = decision("running", "start", "");
    EXPECT_EQ(host().decision_submit(&sink, &both), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sink.error,
              "next returned both state 'running' and action 'start'; it must return "
              "one or the other");
    EXPECT_EQ(last_service_error(), sink.error);
}

TEST(HostServices, refuse_undeclared_names_unknown_signals_and_a_second_submit) {
    const SampleType sample;
    struct Case {
        warden_decision d;
        const char *error;
    };
    warden_decision bad_signal = decision("", "", "");
    bad_signal.signal = 7;
    const Case cases[] = {
        {decision("flying", "", ""),
         "next returned state 'flying', which worker type 'sample' does not declare"},
        {decision("", "explode", ""),
         "next returned action 'explode', which worker type 'sample' does not declare"},
        {bad_signal, "next returned unknown signal 7"},
    };
    for (const Case &c : cases) {
        warden_decision_sink sink(sample.table);
        EXPECT_EQ(host().decision_submit(&sink, &c.d), WARDEN_ERR_INVALID_ARGUMENT);
        EXPECT_EQ(sink.error, c.error);
    }
    warden_decision_sink twice(sample.table);
    const warden_decision ok = decision("running", "", "");
    EXPECT_EQ(host().decision_submit(&twice, &ok), WARDEN_OK);
    EXPECT_EQ(host().decision_submit(&twice, &ok), WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(twice.error, "decision_submit called more than once in one next");
}

TEST(HostServices, report_cancellation_and_deadline) {
    warden_cancel cancel;
    EXPECT_FALSE(host().cancel_requested(&cancel));
    EXPECT_EQ(host().cancel_deadline_ns(&cancel), INT64_MAX);
    cancel.deadline_ns = 42;
    cancel.requested = true;
    EXPECT_TRUE(host().cancel_requested(&cancel));
    EXPECT_EQ(host().cancel_deadline_ns(&cancel), 42);
}

TEST(HostServices, give_clocks_that_move_forward) {
    const int64_t a = host().monotonic_ns();
    const int64_t b = host().monotonic_ns();
    EXPECT_LE(a, b);
    EXPECT_GT(host().wall_ns(), int64_t{1'700'000'000} * 1'000'000'000);
}

}  // namespace
}  // namespace warden::host
