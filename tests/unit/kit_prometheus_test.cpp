// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_prometheus_test.cpp — the worker kit's Prometheus text
// reader: the streaming scan, the owned parse, Counters::sum_of, and what
// happens to malformed, oversized and hostile text.
#include <warden/kit/prometheus.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace warden::kit {
namespace {

// What Benthos serves on /metrics for a pipeline with two processors and a
// broker of two outputs (its exporter's layout: HELP, TYPE, then the series,
// timings as summaries), plus the Go runtime's usual lines: about 100 lines.
std::string benthos_body() {
    std::string text;
    const auto counter = [&](const std::string &name, const std::vector<std::string> &paths,
                             double first) {
        text += "# HELP " + name + " Benthos Counter metric\n# TYPE " + name + " counter\n";
        double value = first;
        for (const std::string &path : paths) {
            text += name + "{label=\"\",path=\"" + path + "\"} " + std::to_string(value) + "\n";
            value += 1;
        }
    };
    const auto timing = [&](const std::string &name, const std::string &path) {
        text += "# HELP " + name + " Benthos Timing metric\n# TYPE " + name + " summary\n";
        for (const char *q : {"0.5", "0.9", "0.99"})
            text += name + "{label=\"\",path=\"" + path + "\",quantile=\"" + q + "\"} 1.2345e+06\n";
        text += name + "_sum{label=\"\",path=\"" + path + "\"} 9.87e+09\n";
        text += name + "_count{label=\"\",path=\"" + path + "\"} 8000\n";
    };
    const std::vector<std::string> input = {"root.input"};
    const std::vector<std::string> outputs = {"root.output.broker.outputs.0",
                                              "root.output.broker.outputs.1"};
    const std::vector<std::string> processors = {"root.pipeline.processors.0",
                                                 "root.pipeline.processors.1"};
    counter("input_connection_failed", input, 0);
    counter("input_connection_lost", input, 0);
    counter("input_connection_up", input, 1);
    timing("input_latency_ns", "root.input");
    counter("input_received", input, 8000);
    counter("output_batch_sent", outputs, 4000);
    counter("output_connection_failed", outputs, 0);
    counter("output_connection_lost", outputs, 0);
    counter("output_connection_up", outputs, 1);
    counter("output_error", outputs, 2);
    timing("output_latency_ns", "root.output.broker.outputs.0");
    counter("output_sent", outputs, 3999);
    counter("processor_batch_received", processors, 8000);
    counter("processor_batch_sent", processors, 8000);
    counter("processor_error", processors, 0);
    timing("processor_latency_ns", "root.pipeline.processors.0");
    counter("processor_received", processors, 8000);
    counter("processor_sent", processors, 8000);
    text +=
        "# HELP go_goroutines Number of goroutines that currently exist.\n"
        "# TYPE go_goroutines gauge\n"
        "go_goroutines 23\n"
        "# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection "
        "cycles.\n"
        "# TYPE go_gc_duration_seconds summary\n"
        "go_gc_duration_seconds{quantile=\"0\"} 2.3e-05\n"
        "go_gc_duration_seconds{quantile=\"0.25\"} 4.1e-05\n"
        "go_gc_duration_seconds{quantile=\"1\"} 0.000412\n"
        "go_gc_duration_seconds_sum 0.00213\n"
        "go_gc_duration_seconds_count 31\n"
        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
        "# TYPE process_resident_memory_bytes gauge\n"
        "process_resident_memory_bytes 4.2192896e+07\n";
    return text;
}

constexpr std::array<std::string_view, 10> kBenthosCounters = {
    "input_received",          "output_sent",          "output_error",
    "processor_error",         "input_connection_up",  "input_connection_lost",
    "input_connection_failed", "output_connection_up", "output_connection_lost",
    "output_connection_failed"};

// The samples of `text`, copied out of the scan.
struct Seen {
    std::string name;
    std::string labels;
    double value;
    std::optional<int64_t> timestamp;
    std::string family;
    MetricType type;
    std::size_t line;
};
std::vector<Seen> scan_all(std::string_view text, ScanSummary *summary = nullptr,
                           const Limits &limits = {}) {
    std::vector<Seen> out;
    ScanSummary s = for_each_sample(
        text,
        [&](const SampleView &v) {
            out.push_back(Seen{std::string(v.name()), std::string(v.label_text()), v.value(),
                               v.timestamp(), std::string(v.family()), v.type(), v.line()});
        },
        limits);
    if (summary != nullptr) *summary = s;
    return out;
}

// --- Counters::sum_of: the job a worker does every second -----------------

TEST(KitPrometheusSumOf, SumsEachNamedCounterOverAllItsSeries) {
    ScanSummary summary;
    const Counters c = Counters::sum_of(benthos_body(), kBenthosCounters, &summary);
    EXPECT_TRUE(summary.clean()) << summary.problem;
    EXPECT_EQ(c.size(), 10u);
    EXPECT_EQ(c.get("input_received"), 8000);
    EXPECT_EQ(c.get("output_sent"), 3999 + 4000);
    EXPECT_EQ(c.get("output_error"), 2 + 3);
    EXPECT_EQ(c.get("processor_error"), 0 + 1);
    EXPECT_EQ(c.get("output_connection_up"), 1 + 2);
    EXPECT_EQ(c.get("input_connection_failed"), 0);
}

TEST(KitPrometheusSumOf, EveryNameIsThereZeroWhenAbsent) {
    const Counters c = Counters::sum_of("a 1\n", {"a", "missing"});
    EXPECT_TRUE(c.has("missing"));
    EXPECT_EQ(c.get("missing"), 0);
    EXPECT_EQ(c.get("a"), 1);
    EXPECT_FALSE(c.has("never_asked"));
}

TEST(KitPrometheusSumOf, CounterNameAndTotalAreTheSame) {
    // OpenMetrics style: family `x`, samples `x_total`, and `x_created`,
    // which is a time and never summed.
    const std::string open_metrics =
        "# TYPE requests counter\n"
        "requests_total{code=\"200\"} 5\n"
        "requests_total{code=\"500\"} 2\n"
        "requests_created{code=\"200\"} 1.7e9\n";
    // Classic style: family and samples `x_total`.
    const std::string classic =
        "# TYPE requests_total counter\n"
        "requests_total{code=\"200\"} 5\n"
        "requests_total{code=\"500\"} 2\n";
    // Benthos style: a counter without `_total`.
    const std::string bare =
        "# TYPE requests counter\n"
        "requests{code=\"200\"} 5\n"
        "requests{code=\"500\"} 2\n";
    for (const std::string &text : {open_metrics, classic, bare}) {
        const Counters c = Counters::sum_of(text, {"requests", "requests_total"});
        EXPECT_EQ(c.get("requests"), 7) << text;
        EXPECT_EQ(c.get("requests_total"), 7) << text;
    }
    EXPECT_EQ(Counters::sum_of(open_metrics, {"requests_created"}).get("requests_created"), 1.7e9);
}

TEST(KitPrometheusSumOf, TotalSuffixOnlyMeansCounterForACounterFamily) {
    const std::string text =
        "# TYPE bytes gauge\n"
        "bytes 10\n"
        "bytes_total 99\n"  // a family of its own: the gauge has no such sample
        "other_total 3\n";  // untyped
    const Counters c = Counters::sum_of(text, {"bytes", "other"});
    EXPECT_EQ(c.get("bytes"), 10);
    EXPECT_EQ(c.get("other"), 0);
    EXPECT_EQ(Counters::sum_of(text, {"other_total"}).get("other_total"), 3);
}

TEST(KitPrometheusSumOf, TakesAnyRangeOfNames) {
    const std::vector<std::string> names = {"a", "b"};
    const Counters c = Counters::sum_of("a 1\nb 2\na{x=\"y\"} 3\n", names);
    EXPECT_EQ(c.get("a"), 4);
    EXPECT_EQ(c.get("b"), 2);
}

TEST(KitPrometheusSumOf, NanSampleMakesItsSumNan) {
    const Counters c = Counters::sum_of("a 1\na{x=\"1\"} NaN\nb +Inf\n", {"a", "b"});
    EXPECT_TRUE(std::isnan(c.get("a")));
    EXPECT_EQ(c.get("b"), std::numeric_limits<double>::infinity());
}

// A micro-figure: the Benthos job on a Benthos-sized body. Printed, and
// bounded loosely (sanitizer builds are slow) so that a scan that turned
// quadratic, or allocated per line, shows.
TEST(KitPrometheusSumOf, BenthosSizedBodyIsCheap) {
    const std::string body = benthos_body();
    std::size_t lines = 0;
    for (const char c : body) lines += c == '\n';
    // The best of 5 runs of 300 scans: the figure of a warm cache, as a
    // worker observing every second has it.
    constexpr int kScans = 300;
    double sink = 0;
    double us = 1e9;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kScans; ++i)
            sink += Counters::sum_of(body, kBenthosCounters).get("output_sent");
        const auto elapsed = std::chrono::steady_clock::now() - start;
        us = std::min(us, std::chrono::duration<double, std::micro>(elapsed).count() / kScans);
    }
    EXPECT_EQ(sink, 5 * kScans * 7999.0);
    std::printf(
        "[ figure   ] Counters::sum_of, 10 names, %zu lines (%zu bytes): %.2f us per scan\n", lines,
        body.size(), us);
    RecordProperty("sum_of_us_per_scan", std::to_string(us));
    EXPECT_LT(us, 10000.0);
}

// --- the streaming scan ----------------------------------------------------

TEST(KitPrometheusScan, ReadsNameLabelsValueAndTimestamp) {
    ScanSummary summary;
    const auto seen = scan_all(
        "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
        "up 1\n"
        "temperature{} -3.5\n",
        &summary);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].name, "http_requests_total");
    EXPECT_EQ(seen[0].labels, "method=\"post\",code=\"200\"");
    EXPECT_EQ(seen[0].value, 1027);
    EXPECT_EQ(seen[0].timestamp, 1395066363000);
    EXPECT_EQ(seen[0].line, 1u);
    EXPECT_EQ(seen[1].name, "up");
    EXPECT_EQ(seen[1].labels, "");
    EXPECT_EQ(seen[1].timestamp, std::nullopt);
    EXPECT_EQ(seen[2].labels, "");
    EXPECT_EQ(seen[2].value, -3.5);
    EXPECT_EQ(summary.samples, 3u);
    EXPECT_EQ(summary.lines, 3u);
    EXPECT_TRUE(summary.clean());
    EXPECT_EQ(summary.problem, "");
}

TEST(KitPrometheusScan, TimestampsNegativeSignedAndBad) {
    ScanSummary summary;
    const auto seen = scan_all(
        "a 1 -1000\n"
        "b 1 +5\n"
        "c 1 1.5\n"                    // OpenMetrics seconds: not read
        "d 1 9223372036854775808\n"    // past int64
        "e 1 -9223372036854775808\n",  // int64's least
        &summary);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].timestamp, -1000);
    EXPECT_EQ(seen[1].timestamp, 5);
    EXPECT_EQ(seen[2].timestamp, std::numeric_limits<int64_t>::min());
    EXPECT_EQ(summary.skipped, 2u);
    EXPECT_EQ(summary.problem, "line 3: timestamp is not a whole number of milliseconds");
}

TEST(KitPrometheusScan, ValuesAsPrometheusReadsThem) {
    struct Case {
        const char *text;
        double value;
    };
    const double inf = std::numeric_limits<double>::infinity();
    const Case good[] = {
        {"42", 42},
        {"-0.5", -0.5},
        {"+3", 3},
        {"1e+06", 1e6},
        {"1.5e-07", 1.5e-7},
        {"1E3", 1000},
        {".5", 0.5},
        {"1.", 1},
        {"+Inf", inf},
        {"-Inf", -inf},
        {"inf", inf},
        {"+infinity", inf},
        {"INF", inf},
        {"1e-400", 0},
        {"-1e-400", -0.0},
        {"4.9e-324", 4.9e-324},
        {"0.000000000000000000000000000001", 1e-30},
    };
    for (const Case &c : good) {
        const auto seen = scan_all(std::string("m ") + c.text);
        ASSERT_EQ(seen.size(), 1u) << c.text;
        EXPECT_EQ(seen[0].value, c.value) << c.text;
    }
    for (const char *nan : {"NaN", "nan", "NAN"}) {
        const auto seen = scan_all(std::string("m ") + nan);
        ASSERT_EQ(seen.size(), 1u) << nan;
        EXPECT_TRUE(std::isnan(seen[0].value)) << nan;
    }
    for (const char *bad : {"1e", "1e+", "0x10", "1_000", "++1", "+-1", "+nan", "-NaN", "1e999",
                            "-1e999", "1..2", ".", "e5", "Infinite", "1,5", "\"1\""}) {
        ScanSummary summary;
        EXPECT_TRUE(scan_all(std::string("m ") + bad, &summary).empty()) << bad;
        EXPECT_EQ(summary.problem, "line 1: value is not a number") << bad;
    }
}

TEST(KitPrometheusScan, ToleratesCrlfBlankLinesSpacesAndNoFinalNewline) {
    ScanSummary summary;
    const auto seen = scan_all(
        "\r\n"
        "  # TYPE a counter\r\n"
        "\t a{x=\"1\"}  1 \t\r\n"
        "\n"
        "   \n"
        "b\t{ x = \"2\" , } \t2\t100\r\n"
        "c 3",
        &summary);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].name, "a");
    EXPECT_EQ(seen[0].type, MetricType::counter);
    EXPECT_EQ(seen[0].line, 3u);
    EXPECT_EQ(seen[1].name, "b");
    EXPECT_EQ(seen[1].value, 2);
    EXPECT_EQ(seen[1].timestamp, 100);
    EXPECT_EQ(seen[2].name, "c");
    EXPECT_EQ(seen[2].value, 3);
    EXPECT_EQ(seen[2].line, 7u);
    EXPECT_TRUE(summary.clean()) << summary.problem;
    EXPECT_EQ(summary.lines, 7u);
}

TEST(KitPrometheusScan, EmptyTextAndCommentsOnly) {
    ScanSummary summary;
    EXPECT_TRUE(scan_all("", &summary).empty());
    EXPECT_TRUE(summary.clean());
    EXPECT_EQ(summary.lines, 0u);
    EXPECT_TRUE(scan_all("# just a comment\n#\n# EOF\n", &summary).empty());
    EXPECT_TRUE(summary.clean());
    EXPECT_EQ(summary.lines, 3u);
}

TEST(KitPrometheusScan, LabelsUnescapedOnRequest) {
    const std::string text =
        R"(m{path="C:\\dir",quote="say \"hi\"",lines="a\nb",odd="\t",plain="x y,}{"} 1)";
    std::vector<std::string> names;
    std::vector<std::string> raw;
    std::vector<std::string> values;
    ScanSummary summary = for_each_sample(text, [&](const SampleView &s) {
        s.for_each_label([&](const LabelView &l) {
            names.emplace_back(l.name());
            raw.emplace_back(l.raw_value());
            values.push_back(l.value());
        });
        EXPECT_EQ(s.label("path"), "C:\\dir");
        EXPECT_EQ(s.label("quote"), "say \"hi\"");
        EXPECT_EQ(s.label("lines"), "a\nb");
        EXPECT_EQ(s.label("plain"), "x y,}{");
        EXPECT_EQ(s.label("absent"), std::nullopt);
        EXPECT_TRUE(s.has_label("quote", "say \"hi\""));
        EXPECT_TRUE(s.has_label("plain", "x y,}{"));
        EXPECT_FALSE(s.has_label("quote", "say \"hi"));
        EXPECT_FALSE(s.has_label("quote", "say \"hi\"!"));
        EXPECT_FALSE(s.has_label("absent", ""));
        EXPECT_EQ(s.value(), 1);
    });
    EXPECT_TRUE(summary.clean()) << summary.problem;
    EXPECT_EQ(names, (std::vector<std::string>{"path", "quote", "lines", "odd", "plain"}));
    EXPECT_EQ(raw[1], R"(say \"hi\")");
    // Another backslash stays as written.
    EXPECT_EQ(values[3], "\\t");
    EXPECT_EQ(values[4], "x y,}{");
}

TEST(KitPrometheusScan, LabelWalkStopsWhenTheCallbackSaysSo) {
    int calls = 0;
    for_each_sample("m{a=\"1\",b=\"2\",c=\"3\"} 1", [&](const SampleView &s) {
        s.for_each_label([&](const LabelView &l) {
            ++calls;
            return l.name() != "b";
        });
    });
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(parse("m{a=\"1\",a=\"2\"} 1").samples()[0].label("a"), "1");
}

TEST(KitPrometheusScan, ScanStopsWhenTheCallbackSaysSo) {
    int calls = 0;
    const ScanSummary summary = for_each_sample("a 1\nb 2\nc 3\n", [&](const SampleView &s) {
        ++calls;
        return s.name() != "b";
    });
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(summary.samples, 2u);
    EXPECT_EQ(summary.lines, 2u);
}

TEST(KitPrometheusScan, IgnoresAnOpenMetricsExemplar) {
    const auto seen = scan_all(
        "foo_bucket{le=\"0.1\"} 8 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n"
        "foo_bucket{le=\"1\"} 9 1000 # {trace_id=\"x\"} 0.9 1.5\n");
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].value, 8);
    EXPECT_EQ(seen[0].timestamp, std::nullopt);
    EXPECT_EQ(seen[1].timestamp, 1000);
}

// Every malformed line: skipped, counted, and the first one named.
TEST(KitPrometheusScan, MalformedLinesSkippedWithTheirProblem) {
    struct Case {
        const char *line;
        const char *problem;
    };
    const Case cases[] = {
        {"9lives 1", "invalid metric name"},
        {"a-b 1", "invalid metric name"},
        {"{a=\"1\"} 1", "invalid metric name"},
        {"name", "no value"},
        {"name{}", "no value"},
        {"name one", "value is not a number"},
        {"name{a=\"1\"", "label set not closed"},
        {"name{a=\"1\",", "label set not closed"},
        {"name{a=\"1} 2", "label value not closed"},
        {"name{a=\"1\\\"} 2", "label value not closed"},
        {"name{a=\"1\\", "label value not closed"},
        {"name{1a=\"1\"} 2", "invalid label name"},
        {"name{,} 2", "invalid label name"},
        {"name{a=\"1\",,b=\"2\"} 2", "invalid label name"},
        {"name{a:b=\"1\"} 2", "no '=' after a label name"},
        {"name{a} 2", "no '=' after a label name"},
        {"name{a=1} 2", "label value not quoted"},
        {"name{a='1'} 2", "label value not quoted"},
        {"name{a=\"1\" b=\"2\"} 2", "no ',' or '}' after a label value"},
        {"name 1 2 3", "unexpected text after the timestamp"},
        {"name 1 x", "timestamp is not a whole number of milliseconds"},
        {"# HELP", "no metric name after # HELP"},
        {"# TYPE 1x counter", "no metric name after # TYPE"},
        {"# TYPE a-b counter", "invalid metric name"},
        {"# TYPE a", "no type after # TYPE and the metric name"},
        {"# TYPE a countr", "unknown metric type"},
        {"# TYPE a counter extra", "unknown metric type"},
    };
    for (const Case &c : cases) {
        ScanSummary summary;
        const auto seen = scan_all(std::string("ok 1\n") + c.line + "\nok 2\n", &summary);
        EXPECT_EQ(seen.size(), 2u) << c.line;
        EXPECT_EQ(summary.skipped, 1u) << c.line;
        EXPECT_EQ(summary.samples, 2u) << c.line;
        EXPECT_EQ(summary.problem, std::string("line 2: ") + c.problem) << c.line;
        EXPECT_FALSE(summary.clean());
    }
}

TEST(KitPrometheusScan, FirstProblemKeptAndEveryOneCounted) {
    ScanSummary summary;
    scan_all("a 1\nb{x=\"1} 1\nc one\nd 4\n", &summary);
    EXPECT_EQ(summary.samples, 2u);
    EXPECT_EQ(summary.skipped, 2u);
    EXPECT_EQ(summary.problem, "line 2: label value not closed");
}

TEST(KitPrometheusScan, OtherCommentsAreNotProblems) {
    ScanSummary summary;
    scan_all("# HELPER text\n# TYPEWRITER\n#TYPE a counter\n# help a text\na 1\n", &summary);
    EXPECT_TRUE(summary.clean()) << summary.problem;
}

TEST(KitPrometheusScan, FamilyOfEachSampleFromTheTypeLineBefore) {
    const auto seen = scan_all(
        "# HELP rpc Durations.\n"
        "# TYPE rpc summary\n"
        "rpc{quantile=\"0.5\"} 1\n"
        "rpc_sum 10\n"
        "rpc_count 3\n"
        "rpc_bucket 9\n"  // not a summary's suffix
        "# TYPE lat histogram\n"
        "lat_bucket{le=\"+Inf\"} 3\n"
        "lat_created 1.7e9\n"
        "# TYPE hits counter\n"
        "rpc_total 5\n"  // another family's name, not after its TYPE
        "hits_total 2\n"
        "# TYPE temp gauge\n"
        "temp_total 1\n"
        "temp 20\n");
    ASSERT_EQ(seen.size(), 10u);
    const auto family = [&](std::size_t i) {
        return seen[i].family + "/" + std::string(type_name(seen[i].type));
    };
    EXPECT_EQ(family(0), "rpc/summary");
    EXPECT_EQ(family(1), "rpc/summary");
    EXPECT_EQ(family(2), "rpc/summary");
    EXPECT_EQ(family(3), "rpc_bucket/untyped");
    EXPECT_EQ(family(4), "lat/histogram");
    EXPECT_EQ(family(5), "lat/histogram");
    EXPECT_EQ(family(6), "rpc_total/untyped");
    EXPECT_EQ(family(7), "hits/counter");
    EXPECT_EQ(family(8), "temp_total/untyped");
    EXPECT_EQ(family(9), "temp/gauge");
}

TEST(KitPrometheusScan, HelpSeenThroughTheSample) {
    for_each_sample("# HELP a Line one\\nline two.\n# TYPE a gauge\na 1\n",
                    [](const SampleView &s) {
                        EXPECT_EQ(s.raw_help(), "Line one\\nline two.");
                        EXPECT_EQ(unescape_help(s.raw_help()), "Line one\nline two.");
                        EXPECT_EQ(s.type(), MetricType::gauge);
                    });
    EXPECT_EQ(unescape_help(R"(a\\b\"c\)"), R"(a\b\"c\)");
}

// --- limits ------------------------------------------------------------------

TEST(KitPrometheusLimits, DefaultsAreTheNamedConstants) {
    const Limits limits;
    EXPECT_EQ(limits.max_bytes, kMaxExpositionBytes);
    EXPECT_EQ(limits.max_lines, kMaxExpositionLines);
    EXPECT_EQ(limits.max_line_bytes, kMaxLineBytes);
    EXPECT_EQ(limits.max_labels, kMaxLabels);
}

TEST(KitPrometheusLimits, BytesPastTheLimitAreNotReadNorHalfALine) {
    Limits limits;
    limits.max_bytes = 12;  // "a 1\nb 2\nc 12" cut inside "c 12345"
    ScanSummary summary;
    const auto seen = scan_all("a 1\nb 2\nc 12345\nd 4\n", &summary, limits);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].name, "b");
    EXPECT_TRUE(summary.truncated);
    EXPECT_EQ(summary.skipped, 0u);
    EXPECT_EQ(summary.problem, "line 3: more than 12 bytes: the rest is not read");

    limits.max_bytes = 3;  // not even one whole line
    EXPECT_TRUE(scan_all("a 1\n", &summary, limits).empty());
    EXPECT_TRUE(summary.truncated);
    limits.max_bytes = 4;  // exactly one whole line
    EXPECT_EQ(scan_all("a 1\nb 2", &summary, limits).size(), 1u);
    limits.max_bytes = 0;
    EXPECT_TRUE(scan_all("a 1\n", &summary, limits).empty());
    EXPECT_EQ(summary.problem, "line 1: more than 0 bytes: the rest is not read");
}

TEST(KitPrometheusLimits, LinesPastTheLimitAreNotRead) {
    Limits limits;
    limits.max_lines = 3;
    ScanSummary summary;
    const auto seen = scan_all("# TYPE a gauge\na 1\n\nb 2\nc 3\n", &summary, limits);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(summary.truncated);
    EXPECT_EQ(summary.lines, 3u);
    EXPECT_EQ(summary.problem, "line 4: more than 3 lines: the rest is not read");
    // Exactly the limit is fine.
    EXPECT_EQ(scan_all("a 1\nb 2\nc 3", &summary, limits).size(), 3u);
    EXPECT_FALSE(summary.truncated);
}

TEST(KitPrometheusLimits, LongLineAndTooManyLabelsSkipped) {
    Limits limits;
    limits.max_line_bytes = 16;
    limits.max_labels = 2;
    ScanSummary summary;
    const auto seen = scan_all(
        "a{x=\"1\",y=\"22\"} 1\n"         // 17 bytes
        "b{x=\"1\",y=\"2\",z=\"3\"} 1\n"  // 3 labels, too long as well
        "c{x=\"1\"} 1\n",
        &summary, limits);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(summary.skipped, 2u);
    EXPECT_EQ(summary.problem, "line 1: longer than 16 bytes");
    limits.max_line_bytes = kMaxLineBytes;
    EXPECT_EQ(scan_all("b{x=\"1\",y=\"2\",z=\"3\"} 1\n", &summary, limits).size(), 0u);
    EXPECT_EQ(summary.problem, "line 1: more than 2 labels");
    EXPECT_EQ(scan_all("b{x=\"1\",y=\"2\"} 1\n", &summary, limits).size(), 1u);
}

TEST(KitPrometheusLimits, ProblemTextIsPrintableAndBounded) {
    Limits huge;
    huge.max_bytes = std::numeric_limits<std::size_t>::max();
    huge.max_line_bytes = std::numeric_limits<std::size_t>::max();
    Limits none;
    none.max_lines = 0;
    none.max_labels = 0;
    const std::string texts[] = {"ok 1\n\x01\xff\x1b[31m \"\\bad\n",
                                 std::string(100, '\n') + "\x7f{\"\\\n", "m{a=\"\xff\"} 1\n",
                                 "a 1\n"};
    for (const std::string &text : texts) {
        for (const Limits &limits : {Limits{}, huge, none}) {
            ScanSummary summary;
            scan_all(text, &summary, limits);
            EXPECT_FALSE(summary.problem.empty() && !summary.clean());
            EXPECT_LE(summary.problem.size(), kMaxProblemBytes);
            for (const char c : summary.problem) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << text;
        }
    }
    ScanSummary summary;
    scan_all("ok 1\n\x01\xff\x1b[31m \"\\bad\n", &summary);
    EXPECT_EQ(summary.problem, "line 2: invalid metric name");
}

TEST(KitPrometheusLimits, HostileBytesNeverCrashAndStayLinear) {
    // Lines of nothing but a label value's backslashes, braces, quotes, NUL
    // bytes and high bytes; a 1 MB line without a newline; 100 000 labels.
    std::string text = "m{a=\"" + std::string(60'000, '\\') + "\"} 1\n";
    text += std::string(1 << 20, '{') + "\n";
    const char nul_and_newline[] = "m{a=\"\0\xff\",b=\"\n\"} 1\n";
    text += std::string(nul_and_newline, sizeof nul_and_newline - 1);
    std::string many = "m{";
    for (int i = 0; i < 100'000; ++i) many += "l" + std::to_string(i) + "=\"v\",";
    text += many + "} 1\n";
    text += std::string(1 << 20, 'x');
    ScanSummary summary;
    const auto seen = scan_all(text, &summary);
    ASSERT_EQ(seen.size(), 1u);  // the backslashes: an even run, so the value is closed
    EXPECT_EQ(summary.skipped, 5u);

    Limits unbounded;
    unbounded.max_line_bytes = std::numeric_limits<std::size_t>::max();
    unbounded.max_labels = std::numeric_limits<std::size_t>::max();
    const Exposition e = parse(many + "} 1\n", unbounded);
    ASSERT_EQ(e.samples().size(), 1u);
    EXPECT_EQ(e.samples()[0].labels.size(), 100'000u);
}

// --- the owned parse ---------------------------------------------------------

TEST(KitPrometheusParse, FamiliesSamplesAndLookups) {
    const Exposition e = parse(
        "# HELP http_requests The total number of HTTP requests.\\nBy code.\n"
        "# TYPE http_requests counter\n"
        "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
        "http_requests_total{method=\"post\",code=\"400\"} 3 1395066363000\n"
        "http_requests_created{method=\"post\",code=\"200\"} 1395066000\n"
        "# TYPE rpc_duration_seconds summary\n"
        "rpc_duration_seconds{quantile=\"0.5\"} 4773\n"
        "rpc_duration_seconds_sum 1.7560473e+07\n"
        "rpc_duration_seconds_count 2693\n"
        "# TYPE req_latency histogram\n"
        "req_latency_bucket{le=\"0.05\"} 24054\n"
        "req_latency_bucket{le=\"+Inf\"} 144320\n"
        "req_latency_sum 53423\n"
        "req_latency_count 144320\n"
        "# TYPE temp gauge\n"
        "temp{room=\"a \\\"big\\\" one\"} 21.5\n"
        "temp{room=\"b\"} NaN\n"
        "loose 7\n");
    EXPECT_TRUE(e.summary().clean()) << e.summary().problem;
    ASSERT_EQ(e.families().size(), 4u);
    EXPECT_EQ(e.families()[0].name, "http_requests");
    EXPECT_EQ(e.families()[0].type, MetricType::counter);
    EXPECT_EQ(e.families()[0].help, "The total number of HTTP requests.\nBy code.");
    EXPECT_EQ(e.families()[3].type, MetricType::gauge);
    ASSERT_EQ(e.samples().size(), 13u);

    const Sample &first = e.samples()[0];
    EXPECT_EQ(first.name, "http_requests_total");
    ASSERT_EQ(first.labels.size(), 2u);
    EXPECT_EQ(first.labels[1].name, "code");
    EXPECT_EQ(first.labels[1].value, "200");
    EXPECT_EQ(first.timestamp, 1395066363000);
    EXPECT_EQ(first.family, "http_requests");
    EXPECT_EQ(first.type, MetricType::counter);
    EXPECT_EQ(e.samples()[10].label("room"), "a \"big\" one");

    EXPECT_EQ(e.family_of("http_requests_total")->name, "http_requests");
    EXPECT_EQ(e.family_of("http_requests_created")->name, "http_requests");
    EXPECT_EQ(e.family_of("http_requests")->name, "http_requests");
    EXPECT_EQ(e.family_of("rpc_duration_seconds_sum")->name, "rpc_duration_seconds");
    EXPECT_EQ(e.family_of("rpc_duration_seconds_bucket"), nullptr);  // not a summary's
    EXPECT_EQ(e.family_of("req_latency_bucket")->name, "req_latency");
    EXPECT_EQ(e.family_of("req_latency_count")->name, "req_latency");
    EXPECT_EQ(e.family_of("temp_total"), nullptr);  // a gauge has no _total
    EXPECT_EQ(e.family_of("loose"), nullptr);
    EXPECT_EQ(e.type_of("req_latency_sum"), MetricType::histogram);
    EXPECT_EQ(e.type_of("loose"), MetricType::untyped);
    EXPECT_EQ(e.family("temp")->type, MetricType::gauge);

    EXPECT_EQ(e.sum("http_requests"), 1030);
    EXPECT_EQ(e.sum("http_requests_total"), 1030);
    EXPECT_EQ(e.sum("req_latency_bucket"), 24054 + 144320);
    EXPECT_EQ(e.sum("loose"), 7);
    EXPECT_EQ(e.sum("absent"), 0);
    EXPECT_TRUE(std::isnan(e.sum("temp")));

    EXPECT_EQ(e.value("http_requests_total", {{"code", "400"}}), 3);
    EXPECT_EQ(e.value("http_requests_total", {{"code", "400"}, {"method", "post"}}), 3);
    EXPECT_EQ(e.value("http_requests_total", {{"code", "500"}}), std::nullopt);
    EXPECT_EQ(e.value("temp", {{"room", "a \"big\" one"}}), 21.5);
    EXPECT_EQ(e.value("loose"), 7);
    EXPECT_EQ(e.value("absent"), std::nullopt);
}

TEST(KitPrometheusParse, TypeWordsOfOpenMetricsReadAsUntyped) {
    const Exposition e = parse(
        "# TYPE a unknown\n# TYPE b info\n# TYPE c stateset\n# TYPE d gaugehistogram\n"
        "# TYPE e untyped\n");
    EXPECT_TRUE(e.summary().clean()) << e.summary().problem;
    ASSERT_EQ(e.families().size(), 5u);
    for (const Family &f : e.families()) EXPECT_EQ(f.type, MetricType::untyped) << f.name;
    EXPECT_EQ(type_name(MetricType::histogram), "histogram");
    EXPECT_EQ(type_name(MetricType::untyped), "untyped");
}

TEST(KitPrometheusParse, LaterTypeLineWinsAndHelpWithoutText) {
    const Exposition e = parse("# TYPE a gauge\n# HELP a\n# TYPE a counter\n# HELP b   \nb 1\n");
    ASSERT_EQ(e.families().size(), 2u);
    EXPECT_EQ(e.family("a")->type, MetricType::counter);
    EXPECT_EQ(e.family("a")->help, "");
    EXPECT_EQ(e.family("b")->type, MetricType::untyped);
    EXPECT_EQ(e.samples()[0].family, "b");
}

TEST(KitPrometheusParse, MatchesTheStreamingScan) {
    const std::string body = benthos_body();
    const Exposition e = parse(body);
    ScanSummary summary;
    const auto seen = scan_all(body, &summary);
    ASSERT_EQ(e.samples().size(), seen.size());
    EXPECT_EQ(e.summary().samples, summary.samples);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(e.samples()[i].name, seen[i].name);
        EXPECT_EQ(e.samples()[i].value, seen[i].value);
    }
    for (const std::string_view name : kBenthosCounters)
        EXPECT_EQ(e.sum(name), Counters::sum_of(body, {name}).get(name)) << name;
}

}  // namespace
}  // namespace warden::kit
