// SPDX-License-Identifier: Apache-2.0
// tests/bench/timing.hpp — how long a call takes, as the worker benchmarks
// time it: each call alone, wall time (mean, p50, p99) and the calling
// thread's CPU time, the calls of a group interleaved so that every figure
// of the group sees the same machine.
//
// THREADING: call from one thread; the figures are that thread's.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace warden::bench {

/// The figures of one call, in microseconds.
struct Spread {
    double mean = 0, p50 = 0, p99 = 0;  ///< wall time
    double cpu = 0;                     ///< this thread's CPU time, mean
};

/// A call to time, its row label and an optional note printed after it.
struct Measure {
    std::string label;
    std::function<void()> call;
    std::string note = {};
};

/// This thread's CPU time so far, in microseconds.
double thread_cpu_us();

/// Calls each of `group` in turn, `rounds` times, each call timed alone,
/// after 20 untimed rounds to open connections and warm caches. The order
/// changes every round, so no call always follows the same one. With a
/// `gap`, each call waits before it a random pause of half to one and a half
/// times `gap`: caches and idle cores cool, as between a host's
/// observations, and the calls do not fall into step with a server's
/// polling.
std::vector<Spread> interleaved(int rounds, const std::vector<Measure> &group,
                                std::chrono::microseconds gap = std::chrono::microseconds(0));

/// The column heading of row(): "microseconds  mean  p50  p99  CPU".
void print_heading();

/// One row: the label, the figures, the note.
void row(const std::string &what, const Spread &s, const std::string &note = "");

/// Measures `group` as interleaved() and prints a row for each; returns the figures.
std::vector<Spread> rows(int rounds, const std::vector<Measure> &group,
                         std::chrono::microseconds gap = std::chrono::microseconds(0));

}  // namespace warden::bench
