// SPDX-License-Identifier: Apache-2.0
// benthos_metrics_test.cpp — the counters a worker reads from a Benthos
// /metrics body, and Benthos's own words from its log.
#include "benthos_log.hpp"
#include "benthos_observed.hpp"

#include <gtest/gtest.h>

namespace benthos_plugin {
namespace {

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
    const auto c = warden::kit::Counters::sum_of(kMetrics, kCounterNames);
    EXPECT_EQ(c.size(), kCounterNames.size());
    EXPECT_EQ(c.get("input_received"), 120);
    EXPECT_EQ(c.get("input_connection_up"), 1);
    EXPECT_EQ(c.get("output_sent"), 117);
    EXPECT_EQ(c.get("output_error"), 5);
    EXPECT_EQ(c.get("processor_error"), 5);
    EXPECT_EQ(c.get("output_connection_failed"), 7);
    EXPECT_EQ(c.get("output_connection_lost"), 0);
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
