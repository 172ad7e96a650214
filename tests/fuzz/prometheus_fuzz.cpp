// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/prometheus_fuzz.cpp — a /metrics body a service serves, as the
// worker kit reads it (warden/kit/prometheus.hpp): any bytes. The streaming
// scan, the owned parse and Counters::sum_of must agree, stay within their
// limits, keep their problem text short and printable, and never crash.
#include <warden/kit/counter_window.hpp>
#include <warden/kit/prometheus.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace warden::kit;

void check(bool ok) {
    if (!ok) std::abort();
}

bool same(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

void check_summary(const ScanSummary &s, const Limits &limits) {
    check(s.problem.empty() == s.clean());
    check(s.problem.size() <= kMaxProblemBytes);
    for (const char c : s.problem) check(c >= 0x20 && c < 0x7f);
    check(s.samples + s.skipped <= s.lines);
    check(s.lines <= limits.max_lines);
}

// Everything a SampleView offers, with what must hold of it.
void touch(const SampleView &s, const Limits &limits) {
    check(!s.name().empty());
    std::size_t labels = 0;
    s.for_each_label([&](const LabelView &l) {
        ++labels;
        const std::string value = l.value();
        check(l.value_is(value));
        check(value.size() <= l.raw_value().size());
        check(!l.escaped() || l.raw_value().find('\\') != std::string_view::npos);
    });
    check(labels <= limits.max_labels);
    std::size_t first = 0;
    s.for_each_label([&](const LabelView &l) {
        if (first++ > 0) return false;
        const auto found = s.label(l.name());
        check(found.has_value() && *found == l.value());
        check(s.has_label(l.name(), *found));
        return false;
    });
    (void)s.timestamp();
    (void)s.raw_help();
    check(s.line() >= 1);
    check(s.counts_as(s.name()));
    // Only a counter, histogram or summary claims samples of other names.
    check(s.family() == s.name() ||
          (s.type() != MetricType::untyped && s.type() != MetricType::gauge));
}

void run(std::string_view text, const Limits &limits) {
    std::vector<std::string> names;
    std::vector<std::string> families;
    std::vector<double> values;
    const ScanSummary streamed = for_each_sample(
        text,
        [&](const SampleView &s) {
            touch(s, limits);
            names.emplace_back(s.name());
            families.emplace_back(s.family());
            values.push_back(s.value());
        },
        limits);
    check_summary(streamed, limits);
    check(streamed.samples == names.size());

    const Exposition e = parse(text, limits);
    const ScanSummary &parsed = e.summary();
    check(parsed.lines == streamed.lines && parsed.samples == streamed.samples &&
          parsed.skipped == streamed.skipped && parsed.truncated == streamed.truncated &&
          parsed.problem == streamed.problem);
    check(e.samples().size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const Sample &s = e.samples()[i];
        check(s.name == names[i] && s.family == families[i] && same(s.value, values[i]));
        check(s.labels.size() <= limits.max_labels);
        if (!s.labels.empty()) check(s.label(s.labels[0].name) == s.labels[0].value);
    }
    for (const Family &f : e.families()) check(e.family(f.name) == &f);

    // sum_of and Exposition::sum add the same samples in the same order.
    std::vector<std::string_view> wanted;
    for (std::size_t i = 0; i < names.size() && wanted.size() < 8; i += 1 + names.size() / 8) {
        wanted.push_back(names[i]);
        const Family *f = e.family_of(names[i]);
        check(f == nullptr || e.type_of(names[i]) == f->type);
        (void)e.value(names[i]);
    }
    wanted.push_back("absent_total");
    ScanSummary summed;
    const Counters counters = Counters::sum_of(text, wanted, &summed, limits);
    check(summed.samples == streamed.samples && summed.problem == streamed.problem);
    for (const std::string_view name : wanted) check(same(counters.get(name), e.sum(name)));
    check(Counters::from_json(counters.to_json()).size() == counters.size());

    // What a window makes of them: never a crash, NaN or not.
    CounterWindow window(60'000'000'000, 8);
    for (int64_t t = 1; t <= 12; ++t) {
        window.add(t * 1'000'000'000, 7, 0, t % 3 == 0 ? Counters{} : counters);
        const auto change = window.change_over(5'000'000'000);
        for (const std::string_view name : wanted) (void)change.rate(name);
        check(window.size() <= window.max_samples());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    run(text, Limits{});
    // Tight limits, so that every one of them is met.
    Limits tight;
    tight.max_bytes = size / 2;
    tight.max_lines = 8;
    tight.max_line_bytes = 80;
    tight.max_labels = 2;
    run(text, tight);
    return 0;
}
