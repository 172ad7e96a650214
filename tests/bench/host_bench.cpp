// SPDX-License-Identifier: Apache-2.0
// tests/bench/host_bench.cpp — what the whole host costs next to raw s6, both
// measured in the same run: the real `warden` binary with its embedded
// s6-svscan, the exec plugin loaded from its .so, driven by rewriting its
// config file (a reload on each change, as a user or a deploy tool would).
//
//   add 1        config gains one exec worker -> its process runs;
//                raw s6: rename one prebuilt service dir in, rescan
//   add 200      config gains 200 workers in one reload -> all run;
//                raw s6: 200 renames and rescans
//   remove 200   config loses them in one reload -> all service dirs gone;
//                raw s6: rename all out, one pruning rescan, wait for the
//                supervisors, delete
//   adopt 200    host SIGKILLed with 200 workers running, started again ->
//                every worker running, and how many processes restarted;
//                raw s6: s6-svstat on every service
//   1000 idle    host CPU (% of one core) and RSS with 1,000 exec workers
//                running; raw s6: the same for s6-svscan and its supervisors
//
// The supervisor runs with its default clocks. Run it with
// tests/bench/run-host-bench.
#include "proc_stats.hpp"
#include "raw_s6.hpp"
#include "text.hpp"
#include "warden_host.hpp"

#include "s6/service_status.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using warden::test::occurrences;
using namespace warden::host;
using warden::bench::Clock;
using warden::bench::median;
using warden::bench::ms_since;
using warden::bench::processes_named;
using warden::bench::Usage;
using warden::bench::usage_of;
using warden::bench::wait_fine;

// The host, and raw s6 on the host's own s6-svscan.
class Bench : public warden::bench::WardenHost {
public:
    double raw_create(const std::vector<std::string> &names) {
        for (const auto &name : names) warden::bench::prebuild(scan(), log_root(), name);
        const auto start = Clock::now();
        warden::bench::rename_in(scan(), names);
        if (!wait_fine([&] { return all_up(names); }, std::chrono::seconds(60)))
            throw std::runtime_error("raw services did not come up");
        return ms_since(start);
    }

    double raw_remove(const std::vector<std::string> &names) {
        const auto start = Clock::now();
        warden::bench::remove_all(scan(), names);
        return ms_since(start);
    }

    double raw_svstat_all(const std::vector<std::string> &names) {
        const auto start = Clock::now();
        warden::bench::svstat_all(scan(), names);
        return ms_since(start);
    }
};

// Host and s6 CPU over a window once the workers settled.
void measure_idle(Bench &bench, int idle_seconds, const char *label) {
    std::this_thread::sleep_for(std::chrono::seconds(8));
    const pid_t host = bench.host().pid();
    std::vector<pid_t> s6 = processes_named("s6-supervise", bench.root());
    for (pid_t p : processes_named("s6-svscan", bench.root())) s6.push_back(p);
    const Usage host_before = usage_of(host);
    double s6_before = 0;
    for (pid_t p : s6) s6_before += usage_of(p).cpu_seconds;
    const auto window = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
    const double seconds = ms_since(window) / 1000.0;
    const Usage host_after = usage_of(host);
    double s6_after = 0;
    long s6_pss = 0;
    for (pid_t p : s6) {
        const Usage u = usage_of(p);
        s6_after += u.cpu_seconds;
        s6_pss += u.pss_kib;
    }
    std::printf(
        "    warden host, %-19s CPU %5.2f%% of one core   RSS %6.1f MiB (PSS %5.1f)   "
        "goal: under 2%%, under 64 MiB\n",
        label, 100.0 * (host_after.cpu_seconds - host_before.cpu_seconds) / seconds,
        static_cast<double>(host_after.rss_kib) / 1024.0,
        static_cast<double>(host_after.pss_kib) / 1024.0);
    std::printf(
        "    raw s6, %4zu processes       CPU %5.2f%% of one core   PSS %6.1f MiB "
        "(s6-svscan and every s6-supervise)\n",
        s6.size(), 100.0 * (s6_after - s6_before) / seconds, static_cast<double>(s6_pss) / 1024.0);
    std::fflush(stdout);
}

void row(const char *what, double ours, const char *raw_name, double raw, const char *goal) {
    std::printf("  %-40s %9.1f ms   %-12s %9.1f ms   %5.2fx   %s\n", what, ours, raw_name, raw,
                ours / raw, goal);
}

int run(int idle_workers, int idle_seconds) {
    Bench bench;
    bench.write_config(0, "w");
    bench.start_host();
    std::printf("warden host with embedded s6-svscan, exec plugin, default supervisor clocks\n");
    std::printf("scan dir %s\n\n", bench.scan().c_str());

    // add 1
    std::vector<double> add_one, raw_one;
    for (int i = 0; i < 7; ++i) {
        const std::string prefix = "one" + std::to_string(i) + "-";
        const auto names = Bench::services(1, prefix);
        const auto start = Clock::now();
        bench.write_config(1, prefix);
        if (!wait_fine([&] { return bench.all_up(names); }, std::chrono::seconds(30)))
            throw std::runtime_error("one worker did not come up:\n" + bench.host().err());
        add_one.push_back(ms_since(start));
        bench.write_config(0, prefix);
        if (!wait_fine([&] { return bench.all_gone(names); }, std::chrono::seconds(30)))
            throw std::runtime_error("one worker did not go");
        const auto raw = Bench::services(1, "raw" + std::to_string(i) + "-");
        raw_one.push_back(bench.raw_create(raw));
        bench.raw_remove(raw);
    }

    // add 200, remove 200
    const auto many = Bench::services(200, "many");
    auto start = Clock::now();
    bench.write_config(200, "many");
    if (!wait_fine([&] { return bench.all_up(many); }, std::chrono::seconds(120)))
        throw std::runtime_error("200 workers did not come up");
    const double add_many = ms_since(start);
    start = Clock::now();
    bench.write_config(0, "many");
    if (!wait_fine([&] { return bench.all_gone(many); }, std::chrono::seconds(120)))
        throw std::runtime_error("200 workers did not go");
    const double remove_many = ms_since(start);
    const auto raw_many = Bench::services(200, "rawmany");
    const double raw_add_many = bench.raw_create(raw_many);
    const double raw_remove_many = bench.raw_remove(raw_many);

    // adopt 200 after SIGKILL
    const auto kept = Bench::services(200, "kept");
    const int running_before = occurrences(bench.host().err(), "-> running");
    bench.write_config(200, "kept");
    if (!wait_fine(
            [&] { return occurrences(bench.host().err(), "-> running") >= 200 + running_before; },
            std::chrono::seconds(120)))
        throw std::runtime_error("200 workers did not reach running");
    std::vector<int64_t> pids_before;
    for (const auto &s : kept) pids_before.push_back(current_status(bench.scan() / s)->pid);
    bench.host().signal(SIGKILL);
    bench.host().wait(std::chrono::seconds(10));
    bench.drop_host();
    start = Clock::now();
    bench.start_host();
    if (!wait_fine([&] { return occurrences(bench.host().err(), "-> running") >= 200; },
                   std::chrono::seconds(120)))
        throw std::runtime_error("200 workers were not adopted:\n" + bench.host().err());
    const double adopt = ms_since(start);
    int restarted = 0;
    for (std::size_t i = 0; i < kept.size(); ++i)
        restarted += current_status(bench.scan() / kept[i])->pid != pids_before[i];
    const double raw_svstat = bench.raw_svstat_all(kept);

    std::printf("warden next to raw s6 (same run):\n");
    row("config +1 exec worker -> process running", median(add_one), "rename + a", median(raw_one),
        "goal: within 2x, well under one tick (100 ms)");
    row("config +200 workers -> all running", add_many, "rename + a", raw_add_many,
        "goal: within 1.5x");
    row("config -200 workers -> all gone", remove_many, "rename + an", raw_remove_many,
        "goal: within 1.5x");
    std::printf("  %-40s %9.1f ms   %-12s %9.1f ms   %d of 200 processes restarted\n",
                "SIGKILL, restart, 200 adopted -> running", adopt, "s6-svstat x200", raw_svstat,
                restarted);
    std::fflush(stdout);

    // 1000 idle: with the default clocks, then observed every second even
    // when settled (idle_observation_interval_ms: 1000), after a restart.
    const int adopted = occurrences(bench.host().err(), "-> running");
    bench.write_config(idle_workers, "idle");
    start = Clock::now();
    if (!wait_fine(
            [&] { return occurrences(bench.host().err(), "-> running") >= adopted + idle_workers; },
            std::chrono::seconds(600)))
        throw std::runtime_error("idle workers did not reach running");
    std::printf("  %-40s %9.1f ms\n",
                (std::to_string(idle_workers) + " workers added -> all running").c_str(),
                ms_since(start));
    std::printf("  %d idle exec workers, %d s window (after 8 s to settle):\n", idle_workers,
                idle_seconds);
    measure_idle(bench, idle_seconds, "default clocks");
    bench.write_config(idle_workers, "idle", "supervisor: {idle_observation_interval_ms: 1000}\n");
    bench.host().signal(SIGKILL);
    bench.host().wait(std::chrono::seconds(10));
    bench.drop_host();
    bench.start_host();
    if (!wait_fine([&] { return occurrences(bench.host().err(), "-> running") >= idle_workers; },
                   std::chrono::seconds(600)))
        throw std::runtime_error("idle workers were not adopted");
    measure_idle(bench, idle_seconds, "observed every 1 s");
    bench.host().signal(SIGTERM);
    bench.host().wait(std::chrono::seconds(60));
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    const int idle_workers = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int idle_seconds = argc > 2 ? std::atoi(argv[2]) : 10;
    try {
        return run(idle_workers, idle_seconds);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "host_bench: %s\n", e.what());
        return 1;
    }
}
