// SPDX-License-Identifier: Apache-2.0
// tests/unit/plugin_figures_test.cpp — the host's store of the figures
// workers publish (host/metrics/plugin_figures): every refusal with its
// kind and words, the per-worker limit, forgetting a removed worker, what a
// scrape gets (families by name, series by labels, labels type, worker and
// the figure's own) and, as Prometheus's text, that it reads right; and
// many threads publishing, forgetting and collecting at once (run under
// ThreadSanitizer too).
#include "metrics/plugin_figures.hpp"

#include <prometheus/text_serializer.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace warden::host {
namespace {

Figure gauge(std::string name, double value, std::string label_name = {},
             std::string label_value = {}) {
    return Figure{
        std::move(name),       WARDEN_FIGURE_GAUGE,    "Messages per second, last minute.",
        std::move(label_name), std::move(label_value), value};
}

Figure counter(std::string name, double value, std::string label_name = {},
               std::string label_value = {}) {
    return Figure{
        std::move(name),       WARDEN_FIGURE_COUNTER,  "Messages since the process started.",
        std::move(label_name), std::move(label_value), value};
}

// "ok", or the error's kind and text.
std::string outcome(const Result<void> &r) {
    if (r) return "ok";
    const char *kind = r.error().kind == ErrorKind::invalid_argument ? "invalid argument"
                       : r.error().kind == ErrorKind::unsupported    ? "unsupported"
                                                                     : "other";
    return std::string(kind) + ": " + r.error().message;
}

// One line per series: "<family> <labels> <value>".
std::vector<std::string> lines(const std::vector<prometheus::MetricFamily> &families) {
    std::vector<std::string> out;
    for (const auto &f : families)
        for (const auto &m : f.metric) {
            std::string line = f.name + " {";
            for (const auto &l : m.label) line += l.name + "=" + l.value + ",";
            line += "} ";
            const double value =
                f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
            line += std::to_string(value);
            out.push_back(line);
        }
    return out;
}

TEST(PluginFigures, refuse_each_field_in_the_plugins_words_and_keep_nothing_refused) {
    PluginFigures figures;
    using Change = std::function<void(Figure &)>;
    const std::vector<std::pair<Change, std::string>> cases = {
        {[](Figure &f) { f.name = "Sent"; },
         "invalid argument: figure name 'Sent' is not [a-z][a-z0-9_]{0,47}"},
        {[](Figure &f) { f.name = std::string(49, 'a'); }, "invalid argument: figure name '" +
                                                               std::string(49, 'a') +
                                                               "' is not [a-z][a-z0-9_]{0,47}"},
        {[](Figure &f) { f.kind = 7; },
         "unsupported: figure 'sent_total': kind 7 is not one this host knows "
         "(WARDEN_FIGURE_GAUGE 1, WARDEN_FIGURE_COUNTER 2)"},
        {[](Figure &f) { f.name = "sent"; },
         "invalid argument: figure 'sent': a counter's name ends in _total"},
        {[](Figure &f) { f.kind = WARDEN_FIGURE_GAUGE; },
         "invalid argument: figure 'sent_total': a gauge's name does not end in _total (a "
         "counter's does)"},
        {[](Figure &f) { f.help.clear(); },
         "invalid argument: figure 'sent_total': help is empty; say in one line what it counts "
         "or measures"},
        {[](Figure &f) { f.help = std::string(257, 'h'); },
         "invalid argument: figure 'sent_total': help '" + std::string(80, 'h') +
             "...' is longer than 256 bytes"},
        {[](Figure &f) { f.help = "one\rtwo"; },
         "invalid argument: figure 'sent_total': help 'one\\x0dtwo' is not one line of UTF-8 "
         "without control characters or backslashes"},
        {[](Figure &f) { f.help = "C:\\path"; },
         "invalid argument: figure 'sent_total': help 'C:\\\\path' is not one line of UTF-8 "
         "without control characters or backslashes"},
        {[](Figure &f) { f.label_name = "2topic", f.label_value = "x"; },
         "invalid argument: figure 'sent_total': label name '2topic' is not "
         "[a-z][a-z0-9_]{0,31}"},
        {[](Figure &f) { f.label_name = "worker", f.label_value = "x"; },
         "invalid argument: figure 'sent_total': label name 'worker' is taken (the host sets "
         "type and worker; le and quantile mean something else to Prometheus)"},
        {[](Figure &f) { f.label_name = "topic"; },
         "invalid argument: figure 'sent_total': label 'topic' has an empty value, which "
         "Prometheus reads as no label"},
        {[](Figure &f) { f.label_name = "topic", f.label_value = std::string(65, 'v'); },
         "invalid argument: figure 'sent_total': label value '" + std::string(65, 'v') +
             "' is longer than 64 bytes"},
        {[](Figure &f) { f.label_name = "topic", f.label_value = "\xff\xfe"; },
         "invalid argument: figure 'sent_total': label value '\\xff\\xfe' is not UTF-8 without "
         "control characters"},
        {[](Figure &f) { f.label_value = "x"; },
         "invalid argument: figure 'sent_total': label value 'x' is given without a label name"},
        {[](Figure &f) { f.value = std::nan(""); },
         "invalid argument: figure 'sent_total': value nan is not a finite number"},
        {[](Figure &f) { f.value = std::numeric_limits<double>::infinity(); },
         "invalid argument: figure 'sent_total': value inf is not a finite number"},
        {[](Figure &f) { f.value = -2; },
         "invalid argument: figure 'sent_total': counter value -2 is negative; a counter's "
         "value is its total"},
    };
    for (const auto &[change, expected] : cases) {
        Figure f = counter("sent_total", 5);
        change(f);
        EXPECT_EQ(outcome(figures.publish("benthos", "web", f)), expected);
    }
    EXPECT_TRUE(figures.collect().empty());
    EXPECT_EQ(figures.series_of("benthos", "web"), 0u);
}

TEST(PluginFigures, refuse_what_disagrees_with_the_name_in_its_worker_type) {
    PluginFigures figures;
    ASSERT_TRUE(figures.publish("redpanda", "one", counter("bytes_total", 1, "topic", "a")));
    Figure other = counter("bytes_total", 1, "topic", "b");
    other.help = "Bytes.";
    EXPECT_EQ(outcome(figures.publish("redpanda", "two", other)),
              "invalid argument: figure 'bytes_total': help 'Bytes.' differs from 'Messages since "
              "the process started.', its help in worker type redpanda; a name keeps one kind, "
              "one help and one label name within its worker type");
    EXPECT_EQ(outcome(figures.publish("redpanda", "two", counter("bytes_total", 1))),
              "invalid argument: figure 'bytes_total': label name none differs from 'topic', its "
              "label name in worker type redpanda; a name keeps one kind, one help and one label "
              "name within its worker type");
    EXPECT_EQ(outcome(figures.publish("graphql", "one", other)), "ok") << "another type";
    ASSERT_TRUE(figures.publish("red", "one", gauge("panda_depth", 1)));
    EXPECT_EQ(outcome(figures.publish("red_panda", "one", gauge("depth", 1))),
              "invalid argument: figure 'depth' of worker type red_panda would be exported as "
              "warden_plugin_red_panda_depth, which is worker type red's figure 'panda_depth'; "
              "give it another name");
    EXPECT_EQ(outcome(figures.publish("Bad", "one", gauge("depth", 1))),
              "invalid argument: figure_publish: worker 'Bad/one' is not a worker type and name");
}

TEST(PluginFigures, hold_a_worker_to_its_series_and_always_take_one_it_has) {
    PluginFigures figures;
    for (uint32_t i = 0; i < WARDEN_MAX_FIGURES_PER_WORKER; ++i)
        ASSERT_TRUE(
            figures.publish("redpanda", "one", gauge("lag", i, "partition", std::to_string(i))));
    EXPECT_EQ(outcome(figures.publish("redpanda", "one", gauge("lag", 1, "partition", "32"))),
              "invalid argument: figure 'lag' (partition '32'): worker redpanda/one has 32 series "
              "already, the most one worker publishes (WARDEN_MAX_FIGURES_PER_WORKER); setting "
              "one of them still works");
    EXPECT_EQ(outcome(figures.publish("redpanda", "one", counter("sent_total", 1))),
              "invalid argument: figure 'sent_total': worker redpanda/one has 32 series already, "
              "the most one worker publishes (WARDEN_MAX_FIGURES_PER_WORKER); setting one of them "
              "still works");
    EXPECT_TRUE(figures.publish("redpanda", "one", gauge("lag", 99, "partition", "31")));
    EXPECT_TRUE(figures.publish("redpanda", "two", gauge("lag", 1, "partition", "32")));
    EXPECT_EQ(figures.series_of("redpanda", "one"), WARDEN_MAX_FIGURES_PER_WORKER);
    const auto families = figures.collect();
    ASSERT_EQ(families.size(), 1u);
    EXPECT_EQ(families[0].metric.size(), WARDEN_MAX_FIGURES_PER_WORKER + 1);
}

TEST(PluginFigures, forget_a_removed_worker_at_once_and_free_its_names) {
    PluginFigures figures;
    ASSERT_TRUE(figures.publish("benthos", "a", counter("sent_total", 3)));
    ASSERT_TRUE(figures.publish("benthos", "b", counter("sent_total", 4)));
    ASSERT_TRUE(figures.publish("benthos", "a", gauge("depth", 1)));
    figures.forget("benthos", "a");
    EXPECT_EQ(lines(figures.collect()),
              (std::vector<std::string>{
                  "warden_plugin_benthos_sent_total {type=benthos,worker=b,} 4.000000"}))
        << "a family without series is left out";
    Figure depth = gauge("depth", 2);
    depth.help = "Another help.";
    EXPECT_TRUE(figures.publish("benthos", "b", depth)) << "no worker publishes depth any more";
    figures.forget("benthos", "b");
    figures.forget("benthos", "never-published");
    EXPECT_TRUE(figures.collect().empty());
}

TEST(PluginFigures, collect_families_by_name_and_series_by_labels) {
    PluginFigures figures;
    for (const char *worker : {"zeta", "alpha"}) {
        ASSERT_TRUE(figures.publish("redpanda", worker, counter("bytes_total", 7, "topic", "b")));
        ASSERT_TRUE(figures.publish("redpanda", worker, counter("bytes_total", 5, "topic", "a")));
        ASSERT_TRUE(figures.publish("benthos", worker, gauge("sent_per_second", 1.5)));
    }
    ASSERT_TRUE(figures.publish("redpanda", "alpha", counter("bytes_total", 2, "topic", "a")))
        << "a counter going down: its process started again";
    const auto families = figures.collect();
    ASSERT_EQ(families.size(), 2u);
    EXPECT_EQ(families[0].name, "warden_plugin_benthos_sent_per_second");
    EXPECT_EQ(families[0].type, prometheus::MetricType::Gauge);
    EXPECT_EQ(families[0].help, "Messages per second, last minute.");
    EXPECT_EQ(families[1].name, "warden_plugin_redpanda_bytes_total");
    EXPECT_EQ(families[1].type, prometheus::MetricType::Counter);
    EXPECT_EQ(lines(families),
              (std::vector<std::string>{
                  "warden_plugin_benthos_sent_per_second {type=benthos,worker=alpha,} 1.500000",
                  "warden_plugin_benthos_sent_per_second {type=benthos,worker=zeta,} 1.500000",
                  "warden_plugin_redpanda_bytes_total {type=redpanda,worker=alpha,topic=a,} "
                  "2.000000",
                  "warden_plugin_redpanda_bytes_total {type=redpanda,worker=alpha,topic=b,} "
                  "7.000000",
                  "warden_plugin_redpanda_bytes_total {type=redpanda,worker=zeta,topic=a,} "
                  "5.000000",
                  "warden_plugin_redpanda_bytes_total {type=redpanda,worker=zeta,topic=b,} "
                  "7.000000"}));
    EXPECT_EQ(families[1].metric[0].gauge.value, 0) << "a counter's value is in its counter";
}

TEST(PluginFigures, read_as_prometheus_text_with_label_values_escaped) {
    PluginFigures figures;
    ASSERT_TRUE(figures.publish("redpanda", "one",
                                counter("bytes_total", 1024, "topic", "say \"hi\" \\ é")));
    ASSERT_TRUE(figures.publish("redpanda", "one", gauge("depth", 0.25)));
    prometheus::TextSerializer text;
    EXPECT_EQ(text.Serialize(figures.collect()),
              "# HELP warden_plugin_redpanda_bytes_total Messages since the process started.\n"
              "# TYPE warden_plugin_redpanda_bytes_total counter\n"
              "warden_plugin_redpanda_bytes_total{type=\"redpanda\",worker=\"one\",topic=\"say "
              "\\\"hi\\\" \\\\ é\"} 1024\n"
              "# HELP warden_plugin_redpanda_depth Messages per second, last minute.\n"
              "# TYPE warden_plugin_redpanda_depth gauge\n"
              "warden_plugin_redpanda_depth{type=\"redpanda\",worker=\"one\"} 0.25\n");
}

// Workers publish from their collectors while the metrics endpoint scrapes
// and removed workers are forgotten: every method at once, from many
// threads. Each thread ends with its own series in place, checked after.
TEST(PluginFigures, take_publishes_forgets_and_scrapes_from_many_threads_at_once) {
    PluginFigures figures;
    constexpr int kWorkers = 8;
    constexpr int kRounds = 300;
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w)
        threads.emplace_back([&figures, w] {
            const std::string worker = "w" + std::to_string(w);
            for (int round = 0; round < kRounds; ++round) {
                EXPECT_TRUE(figures.publish("benthos", worker, counter("sent_total", round)));
                EXPECT_TRUE(figures.publish(
                    "benthos", worker, gauge("depth", round, "queue", std::to_string(round % 4))));
                if (round % 50 == 25) figures.forget("benthos", worker);
            }
            EXPECT_TRUE(figures.publish("benthos", worker, counter("sent_total", kRounds)));
        });
    std::thread scraper([&] {
        while (!done.load()) {
            for (const auto &family : figures.collect()) EXPECT_FALSE(family.metric.empty());
        }
    });
    for (auto &t : threads) t.join();
    done = true;
    scraper.join();
    const auto families = figures.collect();
    ASSERT_EQ(families.size(), 2u);
    EXPECT_EQ(families[1].name, "warden_plugin_benthos_sent_total");
    ASSERT_EQ(families[1].metric.size(), static_cast<std::size_t>(kWorkers));
    for (const auto &m : families[1].metric) EXPECT_EQ(m.counter.value, kRounds);
    for (int w = 0; w < kWorkers; ++w)
        EXPECT_EQ(figures.series_of("benthos", "w" + std::to_string(w)), 5u);
}

}  // namespace
}  // namespace warden::host
