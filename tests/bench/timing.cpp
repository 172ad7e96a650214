// SPDX-License-Identifier: Apache-2.0
// tests/bench/timing.cpp
#include "timing.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <random>
#include <thread>

namespace warden::bench {

using Clock = std::chrono::steady_clock;

double thread_cpu_us() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// In turn, and in a new order each round: two shared cores whose load
// drifts would otherwise favour whichever figure ran in a quiet moment. The
// pause varies so that the calls do not fall into step with a stand-in's
// keep-alive polling (cpp-httplib: a 10 ms select, then a 1 ms sleep), which
// adds up to a millisecond to a request that lands in the sleep.
std::vector<Spread> interleaved(int rounds, const std::vector<Measure> &group,
                                std::chrono::microseconds gap) {
    for (int i = 0; i < 20; ++i)
        for (const Measure &m : group) m.call();
    std::vector<std::vector<double>> wall(group.size());
    std::vector<double> cpu(group.size(), 0.0);
    std::minstd_rand random;
    std::uniform_int_distribution<int64_t> pause(gap.count() / 2, gap.count() * 3 / 2);
    std::vector<std::size_t> order(group.size());
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < rounds; ++i) {
        std::shuffle(order.begin(), order.end(), random);
        for (const std::size_t k : order) {
            // The pause between observations is what this figure is about.
            if (gap.count() > 0)
                std::this_thread::sleep_for(std::chrono::microseconds(pause(random)));
            const double cpu_start = thread_cpu_us();
            const auto start = Clock::now();
            group[k].call();
            wall[k].push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
            cpu[k] += thread_cpu_us() - cpu_start;
        }
    }
    std::vector<Spread> out;
    for (std::size_t k = 0; k < group.size(); ++k) {
        std::vector<double> &us = wall[k];
        std::sort(us.begin(), us.end());
        Spread s;
        s.mean = std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size());
        s.p50 = us[us.size() / 2];
        s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
        s.cpu = cpu[k] / static_cast<double>(rounds);
        out.push_back(s);
    }
    return out;
}

void print_heading() {
    std::printf("  %-48s %8s %8s %8s %8s\n", "microseconds", "mean", "p50", "p99", "CPU");
}

void row(const std::string &what, const Spread &s, const std::string &note) {
    std::printf("  %-48s %8.1f %8.1f %8.1f %8.1f   %s\n", what.c_str(), s.mean, s.p50, s.p99, s.cpu,
                note.c_str());
}

std::vector<Spread> rows(int rounds, const std::vector<Measure> &group,
                         std::chrono::microseconds gap) {
    const std::vector<Spread> figures = interleaved(rounds, group, gap);
    for (std::size_t k = 0; k < group.size(); ++k) row(group[k].label, figures[k], group[k].note);
    std::fflush(stdout);
    return figures;
}

}  // namespace warden::bench
