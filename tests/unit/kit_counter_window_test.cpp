// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_counter_window_test.cpp — the worker kit's counter window
// (growth, rates and "grew within the window" over a process's counters,
// across restarts, NaN and a clock that stands still) and kit::Counters as
// the observed document carries them.
#include <warden/kit/counter_window.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace warden::kit {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMinute = 60 * kS;
constexpr int64_t kPid = 4242;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

Counters sent_and_errors(double sent, double errors) {
    return Counters{{"sent", sent}, {"errors", errors}};
}

// --- Counters -----------------------------------------------------------------

TEST(KitCounters, GetSetAndAbsentReadsZero) {
    Counters c{{"b", 2}, {"a", 1}};
    EXPECT_EQ(c.get("a"), 1);
    EXPECT_EQ(c.get("zzz"), 0);
    EXPECT_FALSE(c.has("zzz"));
    c.set("a", 5);
    c.set("c", 3);
    EXPECT_EQ(c.size(), 3u);
    std::string order;
    for (const auto &[name, value] : c) order += name;
    EXPECT_EQ(order, "abc");  // sorted
}

TEST(KitCounters, JsonBothWays) {
    const Counters c{{"input_received", 8000}, {"output_error", 2.5}};
    const nlohmann::json j = c.to_json();
    EXPECT_EQ(j.dump(), R"({"input_received":8000.0,"output_error":2.5})");
    EXPECT_EQ(Counters::from_json(j), c);
    EXPECT_EQ(Counters::from_json(nlohmann::json::parse(j.dump())), c);
}

TEST(KitCounters, JsonOfValuesThatAreNotFinite) {
    const Counters c{{"nan", kNaN}, {"inf", kInf}, {"ok", 1}};
    const nlohmann::json j = c.to_json();
    EXPECT_EQ(j.dump(), R"({"inf":null,"nan":null,"ok":1.0})");
    const Counters back = Counters::from_json(nlohmann::json::parse(j.dump()));
    EXPECT_TRUE(std::isnan(back.get("nan")));
    EXPECT_TRUE(std::isnan(back.get("inf")));
    EXPECT_EQ(back.get("ok"), 1);
}

TEST(KitCounters, JsonSkipsWhatIsNotANumber) {
    const auto j = nlohmann::json::parse(R"({"a":1,"b":"2","c":[3],"d":{"e":4},"f":true,"g":-7})");
    const Counters c = Counters::from_json(j);
    EXPECT_EQ(c, (Counters{{"a", 1}, {"g", -7}}));
    EXPECT_TRUE(Counters::from_json(nlohmann::json::parse("[1,2]")).empty());
    EXPECT_TRUE(Counters::from_json(nlohmann::json()).empty());
}

TEST(KitCounters, WentBackAndMinus) {
    const Counters before{{"a", 10}, {"b", 5}, {"gone", 3}};
    EXPECT_FALSE((Counters{{"a", 10}, {"b", 6}}).went_back_from(before));
    EXPECT_TRUE((Counters{{"a", 9}, {"b", 6}}).went_back_from(before));
    EXPECT_FALSE((Counters{{"a", kNaN}, {"b", 6}}).went_back_from(before));
    EXPECT_FALSE((Counters{{"a", 10}}).went_back_from(Counters{{"a", kNaN}}));
    EXPECT_EQ((Counters{{"a", 12}, {"b", 5}, {"new", 4}}).minus(before),
              (Counters{{"a", 2}, {"b", 0}, {"new", 4}}));
    EXPECT_EQ((Counters{{"a", kNaN}}).minus(before), (Counters{{"a", 0}}));
    EXPECT_EQ((Counters{{"a", 1}}).minus(Counters{{"a", kInf}}), (Counters{{"a", 0}}));
}

// --- the window ---------------------------------------------------------------

TEST(KitCounterWindow, EmptyWindowAnswersNothing) {
    const CounterWindow w(kMinute);
    const auto change = w.change_over(kMinute);
    EXPECT_TRUE(change.delta.empty());
    EXPECT_EQ(change.covered_ns, 0);
    EXPECT_EQ(change.rate("sent"), 0);
    EXPECT_FALSE(change.grew("sent"));
    EXPECT_EQ(w.rate("sent", kMinute), 0);
    EXPECT_FALSE(w.grew("sent", kMinute));
    EXPECT_EQ(w.newest(), nullptr);
}

TEST(KitCounterWindow, GrowthRateAndCoveredTime) {
    CounterWindow w(kMinute);
    // 10 messages a second, one error at t = 25 s.
    for (int64_t t = 0; t <= 40; ++t)
        w.add(1000 * kS + t * kS, kPid, 0, sent_and_errors(10.0 * t, t >= 25 ? 1 : 0));
    const auto last_10s = w.change_over(10 * kS);
    EXPECT_EQ(last_10s.covered_ns, 10 * kS);
    EXPECT_EQ(last_10s.growth("sent"), 100);
    EXPECT_DOUBLE_EQ(last_10s.rate("sent"), 10);
    EXPECT_FALSE(last_10s.grew("errors"));
    const auto last_20s = w.change_over(20 * kS);
    EXPECT_TRUE(last_20s.grew("errors"));
    EXPECT_EQ(last_20s.delta, sent_and_errors(200, 1));
    EXPECT_DOUBLE_EQ(w.rate("sent", 10 * kS), 10);
    EXPECT_TRUE(w.grew("errors", 20 * kS));
    EXPECT_FALSE(w.grew("errors", 10 * kS));
    EXPECT_FALSE(w.grew("absent", 20 * kS));
    ASSERT_NE(w.newest(), nullptr);
    EXPECT_EQ(w.newest()->get("sent"), 400);
}

TEST(KitCounterWindow, WindowLongerThanTheHistoryCoversTheHistory) {
    CounterWindow w(10 * kMinute);
    w.add(100 * kS, kPid, 0, sent_and_errors(50, 0));
    w.add(105 * kS, kPid, 0, sent_and_errors(60, 0));
    w.add(110 * kS, kPid, 0, sent_and_errors(80, 0));
    const auto change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 10 * kS);
    EXPECT_EQ(change.growth("sent"), 30);
    EXPECT_DOUBLE_EQ(change.rate("sent"), 3);
}

TEST(KitCounterWindow, ProcessStartedWithinTheSpanCountsFromZero) {
    CounterWindow w(kMinute);
    // Up for 20 s when first seen: its totals are all it did since then.
    w.add(100 * kS, kPid, 80 * kS, sent_and_errors(200, 1));
    const auto change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 20 * kS);
    EXPECT_EQ(change.delta, sent_and_errors(200, 1));
    EXPECT_DOUBLE_EQ(change.rate("sent"), 10);
    EXPECT_TRUE(change.grew("errors"));
    // A window shorter than its life starts from zero too: nothing earlier.
    EXPECT_EQ(w.change_over(5 * kS).covered_ns, 20 * kS);
}

TEST(KitCounterWindow, ProcessStartedBeforeTheWorkerWatched) {
    for (const int64_t started : {int64_t{0}, 1 * kS, 99 * kS - kMinute}) {
        CounterWindow w(kMinute);
        // Lifetime totals: no window can use them.
        w.add(100 * kS, kPid, started, sent_and_errors(1'000'000, 500));
        auto change = w.change_over(kMinute);
        EXPECT_EQ(change.covered_ns, 0) << started;
        EXPECT_EQ(change.delta, sent_and_errors(0, 0)) << started;
        EXPECT_FALSE(change.grew("errors"));
        EXPECT_EQ(change.rate("sent"), 0);
        w.add(101 * kS, kPid, started, sent_and_errors(1'000'010, 500));
        change = w.change_over(kMinute);
        EXPECT_EQ(change.covered_ns, kS);
        EXPECT_EQ(change.delta, sent_and_errors(10, 0));
    }
}

TEST(KitCounterWindow, NewPidMidWindowStartsAgain) {
    CounterWindow w(kMinute);
    for (int64_t t = 0; t < 30; ++t) w.add(t * kS, kPid, 0, sent_and_errors(10.0 * t, 3));
    // Restarted at 30 s (up 1 s when seen), higher totals than before.
    w.add(31 * kS, kPid + 1, 30 * kS, sent_and_errors(500, 4));
    auto change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, kS);
    EXPECT_EQ(change.delta, sent_and_errors(500, 4));
    w.add(32 * kS, kPid + 1, 30 * kS, sent_and_errors(510, 4));
    change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 2 * kS);
    EXPECT_EQ(change.delta, sent_and_errors(510, 4));
}

TEST(KitCounterWindow, CounterGoingBackMidWindowStartsAgain) {
    CounterWindow w(kMinute);
    for (int64_t t = 0; t < 30; ++t) w.add(t * kS, kPid, 0, sent_and_errors(10.0 * t, 3));
    // Same pid (restarted in place, start time unknown), errors went back.
    w.add(30 * kS, kPid, 0, sent_and_errors(300, 0));
    auto change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 0);
    EXPECT_EQ(change.delta, sent_and_errors(0, 0));
    w.add(31 * kS, kPid, 0, sent_and_errors(305, 1));
    change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, kS);
    EXPECT_EQ(change.delta, sent_and_errors(5, 1));
    EXPECT_EQ(w.size(), 2u);
}

TEST(KitCounterWindow, ClockNotMoving) {
    CounterWindow w(kMinute);
    w.add(50 * kS, kPid, 0, sent_and_errors(10, 0));
    w.add(50 * kS, kPid, 0, sent_and_errors(12, 0));  // the same instant: the newer wins
    EXPECT_EQ(w.size(), 1u);
    EXPECT_EQ(w.newest()->get("sent"), 12);
    auto change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 0);
    EXPECT_EQ(change.rate("sent"), 0);  // no division by zero
    EXPECT_EQ(w.rate("sent", kMinute), 0);
    w.add(51 * kS, kPid, 0, sent_and_errors(20, 0));
    w.add(51 * kS, kPid, 0, sent_and_errors(22, 0));
    change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, kS);
    EXPECT_EQ(change.growth("sent"), 10);
}

TEST(KitCounterWindow, ClockGoingBackStartsAgain) {
    CounterWindow w(kMinute);
    w.add(50 * kS, kPid, 0, sent_and_errors(10, 0));
    w.add(51 * kS, kPid, 0, sent_and_errors(20, 0));
    w.add(40 * kS, kPid, 0, sent_and_errors(30, 0));
    EXPECT_EQ(w.size(), 1u);
    EXPECT_EQ(w.change_over(kMinute).covered_ns, 0);
}

TEST(KitCounterWindow, NanNeitherPoisonsTheWindowNorLooksLikeAReset) {
    CounterWindow w(kMinute);
    w.add(10 * kS, kPid, 0, sent_and_errors(100, 0));
    w.add(11 * kS, kPid, 0, sent_and_errors(kNaN, kNaN));
    EXPECT_EQ(w.size(), 2u);                  // not a reset
    EXPECT_EQ(w.newest()->get("sent"), 100);  // taken as unchanged
    auto change = w.change_over(kMinute);
    EXPECT_EQ(change.delta, sent_and_errors(0, 0));
    w.add(12 * kS, kPid, 0, sent_and_errors(130, 1));
    w.add(13 * kS, kPid, 0, sent_and_errors(kInf, -kInf));
    w.add(14 * kS, kPid, 0, sent_and_errors(140, 1));
    change = w.change_over(kMinute);
    EXPECT_EQ(change.covered_ns, 4 * kS);
    EXPECT_EQ(change.delta, sent_and_errors(40, 1));
    EXPECT_DOUBLE_EQ(change.rate("sent"), 10);
    EXPECT_DOUBLE_EQ(w.rate("sent", kMinute), 10);
    // A real reset after the NaN is still one.
    w.add(15 * kS, kPid, 0, sent_and_errors(5, 0));
    EXPECT_EQ(w.size(), 1u);
    // And a NaN for a whole span never makes everything after it a reset.
    CounterWindow long_nan(kMinute);
    long_nan.add(0, kPid, 0, sent_and_errors(7, 0));
    for (int64_t t = 1; t <= 120; ++t) long_nan.add(t * kS, kPid, 0, sent_and_errors(kNaN, 0));
    long_nan.add(121 * kS, kPid, 0, sent_and_errors(9, 0));
    EXPECT_EQ(long_nan.change_over(kMinute).growth("sent"), 2);
}

TEST(KitCounterWindow, NanFromTheStartReadsAsNoGrowthUntilKnown) {
    CounterWindow w(kMinute);
    w.add(10 * kS, kPid, 0, sent_and_errors(kNaN, 0));
    w.add(11 * kS, kPid, 0, sent_and_errors(5, 0));
    w.add(12 * kS, kPid, 0, sent_and_errors(8, 0));
    EXPECT_EQ(w.change_over(kMinute).growth("sent"), 0);  // from an unknown base
    EXPECT_FALSE(w.grew("sent", kMinute));
    EXPECT_EQ(w.change_over(kS).growth("sent"), 3);
    EXPECT_TRUE(w.grew("sent", kS));
    // Once the unknown sample leaves the span, the whole window is known.
    for (int64_t t = 13; t < 80; ++t) w.add(t * kS, kPid, 0, sent_and_errors(t, 0));
    EXPECT_EQ(w.change_over(kMinute).growth("sent"), 60);
}

TEST(KitCounterWindow, MissingCounterTakenAsUnchanged) {
    CounterWindow w(kMinute);
    w.add(10 * kS, kPid, 0, sent_and_errors(100, 2));
    w.add(11 * kS, kPid, 0, Counters{{"sent", 110}});
    EXPECT_EQ(w.newest()->get("errors"), 2);
    w.add(12 * kS, kPid, 0, Counters{{"sent", 120}, {"errors", 3}, {"late", 4}});
    EXPECT_EQ(w.change_over(kMinute).delta, (Counters{{"sent", 20}, {"errors", 1}, {"late", 4}}));
}

TEST(KitCounterWindow, KeepsABaseAtTheSpansStartAndForgetsOlder) {
    CounterWindow w(10 * kS);
    for (int64_t t = 0; t <= 100; ++t) w.add(t * kS, kPid, 0, sent_and_errors(t, 0));
    EXPECT_LE(w.size(), 12u);
    const auto change = w.change_over(10 * kS);
    EXPECT_EQ(change.covered_ns, 10 * kS);
    EXPECT_EQ(change.growth("sent"), 10);
    // Nothing older than the span's base is kept.
    EXPECT_EQ(w.change_over(kMinute).covered_ns, 10 * kS);
}

TEST(KitCounterWindow, MemoryBoundedWhateverTheCallRate) {
    CounterWindow w(kMinute);  // 256 samples at most
    int64_t now = 5 * kS;
    // 100 000 samples a millisecond apart (100 s), 1 per ms grown.
    for (int i = 0; i < 100'000; ++i) {
        now += 1'000'000;
        w.add(now, kPid, 0, Counters{{"sent", static_cast<double>(i)}});
        ASSERT_LE(w.size(), CounterWindow::kDefaultMaxSamples);
    }
    EXPECT_GE(w.size(), CounterWindow::kDefaultMaxSamples / 2);
    // Samples are at least this far apart; the base may be that much (and a
    // call) before the window's start.
    const int64_t gap = kMinute / static_cast<int64_t>(CounterWindow::kDefaultMaxSamples - 3) + 1;
    const auto minute = w.change_over(kMinute);
    EXPECT_GE(minute.covered_ns, kMinute);
    EXPECT_LE(minute.covered_ns, kMinute + gap + 1'000'000);
    EXPECT_DOUBLE_EQ(minute.rate("sent"), 1000);
    const auto ten = w.change_over(10 * kS);
    EXPECT_GE(ten.covered_ns, 10 * kS);
    EXPECT_LE(ten.covered_ns, 10 * kS + gap + 1'000'000);
    EXPECT_DOUBLE_EQ(ten.rate("sent"), 1000);
}

TEST(KitCounterWindow, SmallBoundsStillWork) {
    CounterWindow tiny(kMinute, 1);
    EXPECT_EQ(tiny.max_samples(), CounterWindow::kMinSamples);
    for (int64_t t = 0; t <= 300; ++t) tiny.add(t * kS, kPid, 0, Counters{{"n", double(t)}});
    EXPECT_LE(tiny.size(), CounterWindow::kMinSamples);
    EXPECT_GE(tiny.change_over(kMinute).covered_ns, kMinute);
    EXPECT_DOUBLE_EQ(tiny.change_over(kMinute).rate("n"), 1);

    CounterWindow none(0);  // keeps just enough to answer "since the last sample"
    for (int64_t t = 0; t <= 10; ++t) none.add(t * kS, kPid, 0, Counters{{"n", double(t)}});
    EXPECT_LE(none.size(), 2u);
    EXPECT_EQ(none.change_over(kMinute).covered_ns, kS);
    CounterWindow negative(-5);
    EXPECT_EQ(negative.span_ns(), 0);
}

TEST(KitCounterWindow, SetSpanAndClear) {
    CounterWindow w(kMinute);
    for (int64_t t = 0; t <= 60; ++t) w.add(t * kS, kPid, 0, Counters{{"n", double(t)}});
    EXPECT_EQ(w.change_over(kMinute).covered_ns, kMinute);
    w.set_span(10 * kS);
    EXPECT_EQ(w.span_ns(), 10 * kS);
    w.add(61 * kS, kPid, 0, Counters{{"n", 61}});
    EXPECT_EQ(w.change_over(kMinute).covered_ns, 10 * kS);
    w.clear();
    EXPECT_EQ(w.size(), 0u);
    w.add(62 * kS, kPid, 0, Counters{{"n", 62}});
    EXPECT_EQ(w.change_over(kMinute).covered_ns, 0);
}

TEST(KitCounterWindow, ExtremeTimesDoNotOverflow) {
    const int64_t max = std::numeric_limits<int64_t>::max();
    const int64_t min = std::numeric_limits<int64_t>::min();
    CounterWindow w(max);
    w.add(min + 1, kPid, 0, Counters{{"n", 1}});
    w.add(max - 1, kPid, min, Counters{{"n", 2}});
    const auto change = w.change_over(max);
    EXPECT_EQ(change.covered_ns, max);
    EXPECT_EQ(change.growth("n"), 1);
    EXPECT_GT(change.rate("n"), 0);
    EXPECT_EQ(w.change_over(-1).covered_ns, 0);
    EXPECT_EQ(w.change_over(min).covered_ns, 0);
    CounterWindow short_span(kS);
    short_span.add(min, kPid, max, Counters{{"n", 1}});
    short_span.add(min + 1, kPid, max, Counters{{"n", 2}});
    EXPECT_EQ(short_span.change_over(kS).growth("n"), 1);
}

}  // namespace
}  // namespace warden::kit
