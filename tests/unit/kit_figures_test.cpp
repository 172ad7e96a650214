// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_figures_test.cpp — the worker kit's Figures: a worker's
// counters and gauges published through the host (ABI 1.5), nothing at all
// on an older host, and a refused figure logged once, never thrown into the
// collect that publishes it.
#include <warden/kit/figures.hpp>
#include <warden/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace warden::kit {
namespace {

using warden::testing::FakeHost;

class KitFigures : public ::testing::Test {
protected:
    Host web() {
        auto *ctx = host_.make_context("benthos/web", "benthos", "web");
        return Host(host_.services(), reinterpret_cast<warden_host_ctx *>(ctx));
    }
    int warnings() const {
        int n = 0;
        for (const auto &line : host_.logs())
            if (line.level == Level::warn) ++n;
        return n;
    }

    FakeHost host_;
};

TEST_F(KitFigures, publish_counters_and_gauges_with_an_optional_label) {
    Figures figures(web());
    ASSERT_TRUE(figures.offered());
    EXPECT_TRUE(figures.counter("sent_total", "Messages sent.", 12));
    EXPECT_TRUE(figures.gauge("sent_per_second", "Messages sent per second.", 0.5));
    EXPECT_TRUE(figures.counter("bytes_total", "Bytes sent.", 100, "topic", "sensors"));
    const auto sent = host_.figure("benthos", "web", "sent_total");
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(sent->kind, FigureKind::counter);
    EXPECT_EQ(sent->help, "Messages sent.");
    EXPECT_EQ(sent->value, 12);
    EXPECT_EQ(host_.figure("benthos", "web", "sent_per_second")->kind, FigureKind::gauge);
    EXPECT_EQ(host_.figure("benthos", "web", "bytes_total", "sensors")->label_name, "topic");
    EXPECT_EQ(host_.figures().size(), 3u);
}

TEST_F(KitFigures, publish_nothing_and_say_nothing_on_a_host_older_than_1_5) {
    host_.speak_abi_minor(4);
    Figures figures(web());
    EXPECT_FALSE(figures.offered());
    EXPECT_FALSE(figures.counter("sent_total", "Messages sent.", 12));
    EXPECT_TRUE(host_.figures().empty());
    EXPECT_EQ(warnings(), 0);
}

TEST_F(KitFigures, log_a_refusal_once_until_the_figure_is_taken_again) {
    Figures figures(web());
    EXPECT_FALSE(figures.gauge("depth", "Queue depth.", std::nan("")));
    EXPECT_FALSE(figures.gauge("depth", "Queue depth.", std::nan("")));
    EXPECT_TRUE(figures.gauge("other", "Another.", 1)) << "the others are still published";
    ASSERT_EQ(warnings(), 1);
    EXPECT_EQ(host_.logs().back().message,
              "figure not published: figure 'depth': value nan is not a finite number");
    EXPECT_TRUE(figures.gauge("depth", "Queue depth.", 3));
    EXPECT_FALSE(figures.gauge("depth", "Queue depth.", std::nan("")));
    EXPECT_EQ(warnings(), 2) << "refused again after it was taken";
}

}  // namespace
}  // namespace warden::kit
