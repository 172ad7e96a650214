// SPDX-License-Identifier: Apache-2.0
// tests/unit/figure_rules_test.cpp — the rules of the figures a worker
// publishes (ABI 1.5) [WP-FIG-1], as warden/host_rules.hpp writes them for
// the host and the fake host: each field of a figure, with the words of each
// refusal, and the FigureBook both keep their figures in (one kind, help and
// label name per name within a worker type, one exported name per figure,
// the per-worker limit, forgetting a worker). That both hosts give these
// words through their tables is host_rules_conformance_test.cpp's to show;
// the host's store is plugin_figures_test.cpp's.
#include <warden/host_rules.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace warden::rules {
namespace {

FigureView gauge(std::string_view name, double value = 1) {
    return FigureView{name, WARDEN_FIGURE_GAUGE, "Things now.", {}, {}, value};
}

FigureView counter(std::string_view name, double value = 1) {
    return FigureView{name, WARDEN_FIGURE_COUNTER, "Things so far.", {}, {}, value};
}

// "ok", or the status's name and the text.
std::string outcome(const Refusal &r) {
    if (!r) return "ok";
    return std::string(warden_status_name(r.status)) + ": " + r.text;
}

TEST(FigureRules, take_names_of_lower_case_letters_digits_and_underscores) {
    const std::string longest(WARDEN_MAX_FIGURE_NAME_BYTES, 'a');
    for (const std::string &name :
         {std::string("a"), std::string("input_received_per_second"), std::string("x9_"), longest})
        EXPECT_TRUE(valid_figure_name(name)) << name;
    for (const std::string &name :
         {std::string(), std::string("9lives"), std::string("_a"), std::string("Bytes"),
          std::string("bytes-in"), std::string("bytes.in"), std::string("bytés"), longest + "a"})
        EXPECT_FALSE(valid_figure_name(name)) << name;
    EXPECT_EQ(outcome(figure_problem(gauge("Bytes-In"))),
              "invalid argument: figure name 'Bytes-In' is not [a-z][a-z0-9_]{0,47}");
    EXPECT_EQ(outcome(figure_problem(gauge("a\nb"))),
              "invalid argument: figure name 'a\\x0ab' is not [a-z][a-z0-9_]{0,47}");
}

TEST(FigureRules, refuse_a_kind_this_host_does_not_know_as_unsupported) {
    FigureView f = gauge("depth");
    f.kind = 3;  // a later ABI's histogram, say
    EXPECT_EQ(outcome(figure_problem(f)),
              "unsupported: figure 'depth': kind 3 is not one this host knows "
              "(WARDEN_FIGURE_GAUGE 1, WARDEN_FIGURE_COUNTER 2)");
    f.kind = 0;
    EXPECT_EQ(figure_problem(f).status, WARDEN_ERR_UNSUPPORTED);
}

TEST(FigureRules, give_a_counters_name_and_only_a_counters_the_total_suffix) {
    EXPECT_EQ(outcome(figure_problem(counter("sent_total"))), "ok");
    EXPECT_EQ(outcome(figure_problem(counter("sent"))),
              "invalid argument: figure 'sent': a counter's name ends in _total");
    EXPECT_EQ(outcome(figure_problem(counter("total"))),
              "invalid argument: figure 'total': a counter's name ends in _total");
    EXPECT_EQ(outcome(figure_problem(gauge("sent_total"))),
              "invalid argument: figure 'sent_total': a gauge's name does not end in _total (a "
              "counter's does)");
    EXPECT_EQ(outcome(figure_problem(gauge("totals"))), "ok");
}

TEST(FigureRules, take_one_line_of_text_as_help) {
    FigureView f = gauge("depth");
    for (const std::string &help :
         {std::string("Messages waiting."), std::string("Débit en octets — par seconde ✓"),
          std::string(WARDEN_MAX_FIGURE_HELP_BYTES, 'h')}) {
        f.help = help;
        EXPECT_EQ(outcome(figure_problem(f)), "ok") << help;
    }
    f.help = "";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'depth': help is empty; say in one line what it counts or "
              "measures");
    const std::string long_help(WARDEN_MAX_FIGURE_HELP_BYTES + 1, 'h');
    f.help = long_help;
    EXPECT_EQ(outcome(figure_problem(f)), "invalid argument: figure 'depth': help '" +
                                              std::string(80, 'h') +
                                              "...' is longer than 256 bytes");
    for (const std::string &help :
         {std::string("two\nlines"), std::string("tab\there"), std::string("del\x7f"),
          std::string("c1 \xc2\x85 next line"), std::string("bad \xff byte"),
          std::string("cut \xe2\x82"), std::string("overlong \xc0\xaf"),
          std::string("surrogate \xed\xa0\x80"), std::string("a back\\slash")}) {
        f.help = help;
        EXPECT_EQ(figure_problem(f).status, WARDEN_ERR_INVALID_ARGUMENT) << printable(help);
    }
    f.help = "two\nlines";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'depth': help 'two\\x0alines' is not one line of UTF-8 "
              "without control characters or backslashes");
}

TEST(FigureRules, take_one_label_of_the_figures_own_with_a_value) {
    FigureView f = counter("bytes_total");
    f.label_name = "topic";
    f.label_value = "sensors";
    EXPECT_EQ(outcome(figure_problem(f)), "ok");
    f.label_value = "température ✓";
    EXPECT_EQ(outcome(figure_problem(f)), "ok");
    const std::string longest(WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES, 'v');
    f.label_value = longest;
    EXPECT_EQ(outcome(figure_problem(f)), "ok");

    const std::string too_long = longest + "v";
    f.label_value = too_long;
    EXPECT_EQ(outcome(figure_problem(f)), "invalid argument: figure 'bytes_total': label value '" +
                                              longest + "v' is longer than 64 bytes");
    f.label_value = "a\tb";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'bytes_total': label value 'a\\x09b' is not UTF-8 "
              "without control characters");
    f.label_value = "\xc3";
    EXPECT_EQ(figure_problem(f).status, WARDEN_ERR_INVALID_ARGUMENT);
    f.label_value = "";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'bytes_total': label 'topic' has an empty value, which "
              "Prometheus reads as no label");

    f.label_value = "sensors";
    for (const char *taken : {"type", "worker", "le", "quantile"}) {
        f.label_name = taken;
        EXPECT_EQ(outcome(figure_problem(f)),
                  "invalid argument: figure 'bytes_total': label name '" + std::string(taken) +
                      "' is taken (the host sets type and worker; le and quantile mean "
                      "something else to Prometheus)");
    }
    f.label_name = "Topic";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'bytes_total': label name 'Topic' is not "
              "[a-z][a-z0-9_]{0,31}");
    const std::string long_label(WARDEN_MAX_NAME_BYTES + 1, 'l');
    f.label_name = long_label;
    EXPECT_EQ(figure_problem(f).status, WARDEN_ERR_INVALID_ARGUMENT);
    f.label_name = "";
    EXPECT_EQ(outcome(figure_problem(f)),
              "invalid argument: figure 'bytes_total': label value 'sensors' is given without a "
              "label name");
}

TEST(FigureRules, take_finite_values_and_no_negative_total) {
    EXPECT_EQ(outcome(figure_problem(gauge("depth", -3.5))), "ok");
    EXPECT_EQ(outcome(figure_problem(counter("sent_total", 0))), "ok");
    EXPECT_EQ(outcome(figure_problem(counter("sent_total", 1e300))), "ok");
    EXPECT_EQ(outcome(figure_problem(gauge("depth", std::nan("")))),
              "invalid argument: figure 'depth': value nan is not a finite number");
    EXPECT_EQ(outcome(figure_problem(gauge("depth", std::numeric_limits<double>::infinity()))),
              "invalid argument: figure 'depth': value inf is not a finite number");
    EXPECT_EQ(
        outcome(figure_problem(counter("sent_total", -std::numeric_limits<double>::infinity()))),
        "invalid argument: figure 'sent_total': value -inf is not a finite number");
    EXPECT_EQ(outcome(figure_problem(counter("sent_total", -1))),
              "invalid argument: figure 'sent_total': counter value -1 is negative; a counter's "
              "value is its total");
    EXPECT_EQ(outcome(figure_problem(counter("sent_total", -0.1))),
              "invalid argument: figure 'sent_total': counter value -0.1 is negative; a counter's "
              "value is its total");
}

TEST(FigureRules, check_the_struct_and_the_caller_before_the_fields) {
    EXPECT_EQ(outcome(figure_struct_problem(nullptr)),
              "invalid argument: figure_publish: the figure is NULL or smaller than ABI 1.5's");
    warden_figure f = WARDEN_INIT(warden_figure);
    EXPECT_EQ(outcome(figure_struct_problem(&f)), "ok");
    f.struct_size = offsetof(warden_figure, value);
    EXPECT_EQ(figure_struct_problem(&f).status, WARDEN_ERR_INVALID_ARGUMENT);

    const Caller plugin{"plugin benthos", "", ""};
    const Caller web{"benthos/web", "benthos", "web"};
    EXPECT_EQ(outcome(figure_caller_problem(plugin, true)),
              "not permitted: figure_publish: plugin benthos is a plugin, not a worker; only "
              "workers publish figures");
    EXPECT_EQ(outcome(figure_caller_problem(web, false)),
              "unsupported: figure_publish: this context of benthos/web publishes no figures (one "
              "made for derive_desired_state or check_config); publish from collect or an action");
    EXPECT_EQ(outcome(figure_caller_problem(web, true)), "ok");
}

TEST(FigureRules, read_text_as_utf8_without_control_characters) {
    using rules_detail::utf8_without_controls;
    EXPECT_TRUE(utf8_without_controls(""));
    EXPECT_TRUE(utf8_without_controls("plain ASCII ~"));
    EXPECT_TRUE(utf8_without_controls("\xc2\xa0 no-break space, \xc3\xa9, \xe2\x9c\x93"));
    EXPECT_TRUE(utf8_without_controls("\xf0\x9f\x93\x88 and U+10FFFF \xf4\x8f\xbf\xbf"));
    for (const std::string &bad :
         {std::string("\x01"), std::string("\x1f"), std::string("\x7f"), std::string("\xc2\x80"),
          std::string("\xc2\x9f"), std::string("\xc1\xbf"), std::string("\xe0\x9f\xbf"),
          std::string("\xed\xbf\xbf"), std::string("\xf4\x90\x80\x80"), std::string("\xf5"),
          std::string("\x80"), std::string("\xe2\x9c"), std::string("nul\0in", 6)})
        EXPECT_FALSE(utf8_without_controls(bad)) << printable(bad);
}

TEST(FigureRules, write_values_in_their_shortest_exact_form) {
    using rules_detail::number_text;
    EXPECT_EQ(number_text(0), "0");
    EXPECT_EQ(number_text(-1), "-1");
    EXPECT_EQ(number_text(0.1), "0.1");
    EXPECT_EQ(number_text(1e300), "1e+300");
    EXPECT_EQ(number_text(1.0 / 3), "0.3333333333333333");
    EXPECT_EQ(number_text(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(number_text(std::nan("")), "nan");
    EXPECT_EQ(number_text(-std::nan("")), "nan");
}

TEST(FigureBook, keep_each_series_latest_value_a_counter_going_down_included) {
    FigureBook book;
    EXPECT_FALSE(book.publish("benthos", "a", counter("sent_total", 10)));
    EXPECT_FALSE(book.publish("benthos", "a", counter("sent_total", 12)));
    EXPECT_FALSE(book.publish("benthos", "a", counter("sent_total", 2))) << "its process restarted";
    const auto families = book.families();
    ASSERT_EQ(families.size(), 1u);
    EXPECT_EQ(families[0].exported_name, "warden_plugin_benthos_sent_total");
    EXPECT_EQ(families[0].type, "benthos");
    EXPECT_EQ(families[0].name, "sent_total");
    EXPECT_EQ(families[0].kind, WARDEN_FIGURE_COUNTER);
    ASSERT_EQ(families[0].series.size(), 1u);
    EXPECT_EQ(families[0].series[0].worker, "a");
    EXPECT_EQ(families[0].series[0].value, 2);
}

TEST(FigureBook, keep_one_kind_help_and_label_name_per_name_within_a_type) {
    FigureBook book;
    FigureView bytes = counter("bytes_total");
    bytes.help = "Bytes consumed.";
    bytes.label_name = "topic";
    bytes.label_value = "a";
    ASSERT_FALSE(book.publish("redpanda", "one", bytes));

    FigureView other = bytes;
    other.help = "Bytes read.";
    EXPECT_EQ(outcome(book.publish("redpanda", "two", other)),
              "invalid argument: figure 'bytes_total': help 'Bytes read.' differs from 'Bytes "
              "consumed.', its help in worker type redpanda; a name keeps one kind, one help and "
              "one label name within its worker type");
    other = bytes;
    other.label_name = "partition";
    EXPECT_EQ(outcome(book.publish("redpanda", "one", other)),
              "invalid argument: figure 'bytes_total': label name 'partition' differs from "
              "'topic', its label name in worker type redpanda; a name keeps one kind, one help "
              "and one label name within its worker type");
    other.label_name = "";
    other.label_value = "";
    EXPECT_EQ(outcome(book.publish("redpanda", "two", other)),
              "invalid argument: figure 'bytes_total': label name none differs from 'topic', its "
              "label name in worker type redpanda; a name keeps one kind, one help and one label "
              "name within its worker type");

    // A name's kind is fixed by its suffix: "depth" is a gauge for every
    // worker of every type, "depth_total" a counter.
    ASSERT_FALSE(book.publish("redpanda", "one", gauge("depth")));
    EXPECT_EQ(book.publish("redpanda", "two", counter("depth")).status,
              WARDEN_ERR_INVALID_ARGUMENT);

    // Another type has names of its own.
    other = bytes;
    other.help = "Bytes served.";
    other.label_name = "";
    other.label_value = "";
    EXPECT_EQ(outcome(book.publish("graphql", "one", other)), "ok");
    EXPECT_EQ(book.families().size(), 3u);
    EXPECT_EQ(book.series_of("redpanda", "one"), 2u);
    EXPECT_EQ(book.series_of("redpanda", "two"), 0u) << "a refusal changes nothing";
}

TEST(FigureBook, refuse_two_figures_that_would_export_under_one_name) {
    FigureBook book;
    ASSERT_FALSE(book.publish("a_b", "w", gauge("c")));
    EXPECT_EQ(outcome(book.publish("a", "w", gauge("b_c"))),
              "invalid argument: figure 'b_c' of worker type a would be exported as "
              "warden_plugin_a_b_c, which is worker type a_b's figure 'c'; give it another name");
    book.forget("a_b", "w");
    EXPECT_EQ(outcome(book.publish("a", "w", gauge("b_c"))), "ok") << "the name is free again";
}

TEST(FigureBook, limit_a_worker_to_its_series_and_always_take_one_it_has) {
    FigureBook book;
    FigureView f = gauge("lag");
    f.label_name = "partition";
    std::vector<std::string> values;
    for (uint32_t i = 0; i < WARDEN_MAX_FIGURES_PER_WORKER; ++i)
        values.push_back(std::to_string(i));
    for (const std::string &v : values) {
        f.label_value = v;
        ASSERT_FALSE(book.publish("redpanda", "one", f)) << v;
    }
    f.label_value = "32";
    EXPECT_EQ(outcome(book.publish("redpanda", "one", f)),
              "invalid argument: figure 'lag' (partition '32'): worker redpanda/one has 32 series "
              "already, the most one worker publishes (WARDEN_MAX_FIGURES_PER_WORKER); setting one "
              "of them still works");
    EXPECT_EQ(book.publish("redpanda", "one", gauge("other")).status, WARDEN_ERR_INVALID_ARGUMENT);
    f.label_value = "7";
    f.value = 70;
    EXPECT_EQ(outcome(book.publish("redpanda", "one", f)), "ok");
    f.label_value = "32";
    EXPECT_EQ(outcome(book.publish("redpanda", "two", f)), "ok") << "the limit is per worker";
    EXPECT_EQ(book.series_of("redpanda", "one"), WARDEN_MAX_FIGURES_PER_WORKER);

    book.forget("redpanda", "one");
    EXPECT_EQ(book.series_of("redpanda", "one"), 0u);
    EXPECT_EQ(outcome(book.publish("redpanda", "one", gauge("other"))), "ok");
}

TEST(FigureBook, free_a_name_when_its_last_series_is_forgotten) {
    FigureBook book;
    FigureView f = gauge("depth");
    ASSERT_FALSE(book.publish("exec", "a", f));
    ASSERT_FALSE(book.publish("exec", "b", f));
    f.help = "Another help.";
    book.forget("exec", "a");
    EXPECT_EQ(book.publish("exec", "c", f).status, WARDEN_ERR_INVALID_ARGUMENT)
        << "worker b still publishes it";
    book.forget("exec", "b");
    book.forget("exec", "nobody");
    EXPECT_TRUE(book.families().empty());
    EXPECT_EQ(outcome(book.publish("exec", "c", f)), "ok");
    EXPECT_EQ(book.families().at(0).help, "Another help.");
}

TEST(FigureBook, list_figures_by_exported_name_and_series_by_worker_and_label) {
    FigureBook book;
    FigureView lag = gauge("lag");
    lag.label_name = "partition";
    for (const char *worker : {"zeta", "alpha"})
        for (const char *partition : {"2", "10", "1"}) {
            lag.label_value = partition;
            ASSERT_FALSE(book.publish("redpanda", worker, lag));
        }
    ASSERT_FALSE(book.publish("redpanda", "alpha", counter("bytes_total")));
    ASSERT_FALSE(book.publish("benthos", "m", counter("sent_total")));
    const auto families = book.families();
    std::vector<std::string> names;
    for (const auto &f : families) names.push_back(f.exported_name);
    EXPECT_EQ(names, (std::vector<std::string>{"warden_plugin_benthos_sent_total",
                                               "warden_plugin_redpanda_bytes_total",
                                               "warden_plugin_redpanda_lag"}));
    std::vector<std::string> series;
    for (const auto &s : families[2].series) series.push_back(s.worker + "/" + s.label_value);
    EXPECT_EQ(series, (std::vector<std::string>{"alpha/1", "alpha/10", "alpha/2", "zeta/1",
                                                "zeta/10", "zeta/2"}));
    EXPECT_EQ(families[2].label_name, "partition");
}

}  // namespace
}  // namespace warden::rules
