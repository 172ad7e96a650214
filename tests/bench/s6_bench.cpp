// SPDX-License-Identifier: Apache-2.0
// tests/bench/s6_bench.cpp — what the S6Client costs next to raw s6, both
// measured in the same run on a real s6-svscan of the benchmark's own.
//
//   observe          S6Client::observe of a running service, against spawning
//                    s6-svstat for the same answer
//   create/N         S6Client::create of N services until every process runs,
//                    against the raw s6 way: rename N prebuilt directories
//                    into the scan dir and write "a" after each
//   remove/N         S6Client::remove of N running services (one after
//                    another, and from 16 threads as workers would), against
//                    renaming them all out, one "an", waiting for their
//                    supervisors to exit, and deleting the directories
//
// After the Google Benchmark table it prints a summary with the ratios and
// the goals. Run it with tests/bench/run-s6-bench.
#include "s6/file_ops.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_status.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include "raw_s6.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace {

namespace fs = std::filesystem;
using namespace warden::host;
using warden::test::S6Sandbox;

// One s6-svscan for the whole run.
S6Sandbox &sandbox() {
    static S6Sandbox instance;
    return instance;
}

S6Client &client() {
    static S6Client instance(sandbox().options());
    return instance;
}

std::atomic<unsigned> g_serial{0};

std::vector<std::string> fresh_names(int64_t n, const char *kind) {
    std::vector<std::string> names;
    const unsigned batch = g_serial++;
    for (int64_t i = 0; i < n; ++i)
        names.push_back(std::string(kind) + "-" + std::to_string(batch) + "-" + std::to_string(i));
    return names;
}

ServiceSpec spec_for(const std::string &name) {
    ServiceSpec spec;
    spec.name = name;
    spec.argv = {"/bin/sleep", "3600"};
    return spec;
}

bool is_up(const fs::path &dir) {
    const auto status = current_status(dir);
    return status && status->up();
}

// Waits until every service runs: the same wait for the client and for raw s6.
void wait_all_up(const std::vector<std::string> &names) {
    for (const auto &name : names)
        if (!warden::test::wait_until([&] { return is_up(sandbox().scan_dir() / name); },
                                      std::chrono::seconds(30)))
            throw std::runtime_error(name + " did not come up");
}

void remove_all(const std::vector<std::string> &names) {
    for (const auto &name : names)
        if (!client().remove(name)) throw std::runtime_error("cannot remove " + name);
}

// ---- observe ---------------------------------------------------------------

void BM_Observe(benchmark::State &state) {
    static const std::vector<std::string> names = [] {
        auto n = fresh_names(1, "observed");
        (void)client().create(spec_for(n[0]));
        wait_all_up(n);
        return n;
    }();
    for (auto _ : state) {
        auto status = client().observe(names[0]);
        benchmark::DoNotOptimize(status);
    }
}
BENCHMARK(BM_Observe);

void BM_RawObserveWithSvstat(benchmark::State &state) {
    static const std::vector<std::string> names = [] {
        auto n = fresh_names(1, "svstat");
        (void)client().create(spec_for(n[0]));
        wait_all_up(n);
        return n;
    }();
    const std::string dir = (sandbox().scan_dir() / names[0]).string();
    char *const argv[] = {const_cast<char *>("s6-svstat"), const_cast<char *>(dir.c_str()),
                          nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    for (auto _ : state) {
        pid_t pid = 0;
        if (posix_spawn(&pid, "/usr/bin/s6-svstat", &actions, nullptr, argv, environ) != 0)
            state.SkipWithError("cannot spawn s6-svstat");
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&actions);
}
BENCHMARK(BM_RawObserveWithSvstat)->Unit(benchmark::kMicrosecond);

// ---- create -> running ---------------------------------------------------------

void BM_CreateToRunning(benchmark::State &state) {
    for (auto _ : state) {
        const auto names = fresh_names(state.range(0), "create");
        const auto start = std::chrono::steady_clock::now();
        for (const auto &name : names)
            if (!client().create(spec_for(name))) state.SkipWithError("create failed");
        wait_all_up(names);
        state.SetIterationTime(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        remove_all(names);
    }
}
BENCHMARK(BM_CreateToRunning)
    ->Arg(1)
    ->Arg(200)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

void BM_RawCreateToRunning(benchmark::State &state) {
    for (auto _ : state) {
        const auto names = fresh_names(state.range(0), "raw");
        for (const auto &name : names)
            warden::bench::prebuild(sandbox().scan_dir(), sandbox().log_root(), name);
        const auto start = std::chrono::steady_clock::now();
        warden::bench::rename_in(sandbox().scan_dir(), names);
        wait_all_up(names);
        state.SetIterationTime(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        remove_all(names);
    }
}
BENCHMARK(BM_RawCreateToRunning)
    ->Arg(1)
    ->Arg(200)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

// ---- stop + remove -------------------------------------------------------------

std::vector<std::string> running_services(int64_t n) {
    auto names = fresh_names(n, "gone");
    for (const auto &name : names)
        if (!client().create(spec_for(name))) throw std::runtime_error("create failed");
    wait_all_up(names);
    return names;
}

void BM_StopRemove(benchmark::State &state) {
    for (auto _ : state) {
        state.PauseTiming();
        const auto names = running_services(state.range(0));
        state.ResumeTiming();
        remove_all(names);
    }
}
BENCHMARK(BM_StopRemove)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_StopRemoveFrom16Threads(benchmark::State &state) {
    for (auto _ : state) {
        state.PauseTiming();
        const auto names = running_services(state.range(0));
        state.ResumeTiming();
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 16; ++t)
            threads.emplace_back([&] {
                for (std::size_t i; (i = next++) < names.size();)
                    if (!client().remove(names[i])) std::abort();
            });
        for (auto &t : threads) t.join();
    }
}
BENCHMARK(BM_StopRemoveFrom16Threads)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_RawStopRemove(benchmark::State &state) {
    for (auto _ : state) {
        state.PauseTiming();
        const auto names = running_services(state.range(0));
        state.ResumeTiming();
        warden::bench::remove_all(sandbox().scan_dir(), names);
    }
}
BENCHMARK(BM_RawStopRemove)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(3);

// ---- the summary ---------------------------------------------------------------

class SummaryReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run> &runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run &run : runs)
            if (run.run_type == Run::RT_Iteration && !run.error_occurred)
                seconds_[run.benchmark_name()] =
                    run.GetAdjustedRealTime() / unit_scale(run.time_unit);
    }

    void print_summary() const {
        std::printf("\nS6Client next to raw s6 (same run):\n");
        line("observe one service", "BM_Observe", "BM_RawObserveWithSvstat", "s6-svstat",
             "goal: under 5 us");
        line("create -> running, 1 service", "BM_CreateToRunning/1/iterations:5/manual_time",
             "BM_RawCreateToRunning/1/iterations:5/manual_time", "rename + a", "goal: within 1.5x");
        line("create -> running, 200 services", "BM_CreateToRunning/200/iterations:5/manual_time",
             "BM_RawCreateToRunning/200/iterations:5/manual_time", "rename + a",
             "goal: within 1.5x");
        line("stop + remove 200, one by one", "BM_StopRemove/200/iterations:3",
             "BM_RawStopRemove/200/iterations:3", "rename + an", "goal: within 1.5x");
        line("stop + remove 200, 16 threads", "BM_StopRemoveFrom16Threads/200/iterations:3",
             "BM_RawStopRemove/200/iterations:3", "rename + an", "goal: within 1.5x");
    }

private:
    static double unit_scale(benchmark::TimeUnit unit) {
        switch (unit) {
            case benchmark::kNanosecond: return 1e9;
            case benchmark::kMicrosecond: return 1e6;
            case benchmark::kMillisecond: return 1e3;
            default: return 1.0;
        }
    }
    static std::string human(double seconds) {
        char text[32];
        if (seconds < 1e-3)
            std::snprintf(text, sizeof text, "%.2f us", seconds * 1e6);
        else
            std::snprintf(text, sizeof text, "%.1f ms", seconds * 1e3);
        return text;
    }
    void line(const char *what, const std::string &ours, const std::string &raw,
              const char *raw_name, const char *goal) const {
        auto a = seconds_.find(ours), b = seconds_.find(raw);
        if (a == seconds_.end() || b == seconds_.end()) return;
        std::printf("  %-34s %10s   %-11s %10s   %5.2fx   %s\n", what, human(a->second).c_str(),
                    raw_name, human(b->second).c_str(), a->second / b->second, goal);
    }

    std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_summary();
    benchmark::Shutdown();
    return 0;
}
