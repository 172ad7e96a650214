// benthos_metrics_test.cpp — Prometheus parsing, the counter window and log lines.
#include "benthos_metrics.hpp"
#include "benthos_log.hpp"
#include "counter_window.hpp"

#include <gtest/gtest.h>

namespace benthos_plugin {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// As Benthos 4 serves it: HELP and TYPE lines, labels, summaries to skip.
constexpr const char *kMetrics = R"(# HELP input_received Benthos Counter metric
# TYPE input_received counter
input_received{label="",path="root.input"} 120
# HELP input_latency_ns Benthos Timing metric
# TYPE input_latency_ns summary
input_latency_ns{label="",path="root.input",quantile="0.5"} 1.5e+06
input_latency_ns_sum{label="",path="root.input"} 1.2e+08
input_connection_up{label="",path="root.input"} 1
output_sent{label="",path="root.output"} 117
output_error{label="a",path="root.output.broker.outputs.0"} 2
output_error{label="b {odd}",path="root.output.broker.outputs.1"} 3 1700000000000
processor_error{label="",path="root.pipeline.processors.0"} 4
processor_error{label="",path="root.pipeline.processors.1"} 1
output_connection_failed 7
garbage line
output_sent{label="",path="root.output"} not-a-number
)";

TEST(BenthosMetrics, sums_each_counter_over_its_series) {
    const BenthosCounters c = parse_prometheus(kMetrics);
    EXPECT_EQ(c.input_received, 120);
    EXPECT_EQ(c.input_connection_up, 1);
    EXPECT_EQ(c.output_sent, 117);
    EXPECT_EQ(c.output_error, 5);
    EXPECT_EQ(c.processor_error, 5);
    EXPECT_EQ(c.output_connection_failed, 7);
    EXPECT_EQ(c.output_connection_lost, 0);
}

BenthosCounters errors(double n) {
    BenthosCounters c;
    c.output_error = n;
    return c;
}

TEST(CounterWindow, measures_growth_over_the_window_not_totals) {
    CounterWindow window(60 * kSecond);
    // A process started at t=100 s, sampled every second from t=101 s.
    for (int s = 1; s <= 20; ++s)
        window.add((100 + s) * kSecond, 42, 100 * kSecond, errors(s <= 10 ? 500 + s : 510));
    // The first sample counts from zero at the start: 501 errors in 1 s.
    EXPECT_EQ(window.change_over(5 * kSecond).delta.output_error, 0);
    EXPECT_EQ(window.change_over(15 * kSecond).delta.output_error, 5);
    const auto minute = window.change_over(60 * kSecond);
    EXPECT_EQ(minute.delta.output_error, 510);
    EXPECT_EQ(minute.covered_ns, 20 * kSecond);
    EXPECT_DOUBLE_EQ(minute.rate(&BenthosCounters::output_error), 25.5);
}

TEST(CounterWindow, does_not_count_the_totals_of_a_process_it_found_running_long_ago) {
    CounterWindow window(60 * kSecond);
    // Found running for an hour (a restarted host adopting it): 500 errors
    // in its lifetime say nothing about the last minute.
    window.add(3600 * kSecond, 9, 1 * kSecond, errors(500));
    EXPECT_EQ(window.change_over(30 * kSecond).delta.output_error, 0);
    EXPECT_EQ(window.change_over(30 * kSecond).covered_ns, 0);
    window.add(3601 * kSecond, 9, 1 * kSecond, errors(503));
    EXPECT_EQ(window.change_over(30 * kSecond).delta.output_error, 3);
}

TEST(CounterWindow, starts_again_for_a_new_process) {
    CounterWindow window(60 * kSecond);
    window.add(10 * kSecond, 1, 0, errors(50));
    window.add(11 * kSecond, 1, 0, errors(60));
    window.add(12 * kSecond, 2, 0, errors(0));
    window.add(13 * kSecond, 2, 0, errors(0));
    EXPECT_EQ(window.change_over(60 * kSecond).delta.output_error, 0);
    window.add(14 * kSecond, 2, 0, errors(3));
    window.add(15 * kSecond, 2, 0, errors(1));  // counters went back: restarted
    EXPECT_EQ(window.change_over(60 * kSecond).delta.output_error, 0);
}

TEST(CounterWindow, forgets_samples_older_than_its_span) {
    CounterWindow window(10 * kSecond);
    for (int s = 0; s <= 100; ++s) window.add(s * kSecond, 7, 0, errors(s));
    EXPECT_EQ(window.change_over(60 * kSecond).delta.output_error, 10);
}

TEST(BenthosLog, finds_the_newest_error_message) {
    const std::vector<std::string> lines = {
        "2026-11-22T06:30:00.1  level=error msg=\"Failed to connect to socket: refused\" "
        "@service=benthos",
        "2026-11-22T06:30:01.1  level=error msg=\"Failed to send message to reject: "
        "no \\\"thanks\\\"\" @service=benthos label=\"\" path=root.output",
        "2026-11-22T06:30:02.1  level=info msg=\"Input type generate is now active\"",
        "2026-11-22T06:30:03.1  xlevel=error msg=not-this-one"};
    EXPECT_EQ(newest_error(lines), "Failed to send message to reject: no \"thanks\"");
    EXPECT_EQ(newest_error({"level=info msg=fine"}), "");
    EXPECT_EQ(newest_error({"level=error msg=\"from the last run\"",
                            "level=info msg=\"Running main config from specified file\"",
                            "level=info msg=\"Listening for HTTP requests\""}),
              "")
        << "an earlier process's errors are not this one's";
    EXPECT_EQ(logfmt_field("level=warn msg=plain", "msg"), "plain");
}

}  // namespace
}  // namespace benthos_plugin
