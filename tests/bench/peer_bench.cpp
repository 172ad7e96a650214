// SPDX-License-Identifier: Apache-2.0
// tests/bench/peer_bench.cpp — Warden beside its peers, through the same work
// in the same run, each step taken by the three one after another, in this
// order:
//
//   warden       the real `warden` binary, its embedded s6-svscan, the exec
//                plugin, driven by rewriting its config file (warden_host.hpp)
//   raw s6       an s6-svscan of its own, prebuilt service dirs renamed in
//                and `s6-svscanctl -a`; removed by renaming them out, one
//                pruning rescan, waiting for the supervisors (raw_s6.hpp)
//   supervisord  Debian's, on a config of its own, driven over XML-RPC on
//                its unix socket (supervisord.hpp)
//
// Every program is `/bin/sleep 3600`, its output logged: by an s6-log per
// service under s6, by supervisord itself into its AUTO log files.
//
//   1  add FEW (200)      -> all running
//   2  remove them        -> all gone: every process exited; for s6 also
//                            every service dir gone
//   3  add MANY (1,000)   -> all running
//   4  MANY idle: CPU (% of one core over the window) and PSS of the
//      supervisor and everything it spawned to supervise and log: the host,
//      s6-svscan (and the s6-log of its output), every s6-supervise and every
//      s6-log; for raw s6 the same without the host; supervisord alone (it
//      writes the logs itself). The MANY sleeps, the same under all three,
//      are left out. Also the supervisor process alone: the host,
//      s6-svscan, supervisord. The window opens once they settled: for
//      warden, every worker observed at the slow interval (steady_state.hpp);
//      raw s6, every logger and supervisor running; supervisord, every
//      program running.
//   5  one status query over MANY, wall time, median of 5: `warden
//      --status`; `s6-svstat` on every service; `supervisorctl status`
//   6  remove the MANY    -> all gone
//      (3 to 6 run for one supervisor after the other: MANY sleeps at a time)
//   7  FEW running, the supervisor restarted: the host SIGKILLed and
//      started again -> every worker running in its log, and how many
//      processes changed pid; supervisord SIGTERMed (as `systemctl restart`
//      does: it stops its programs first), its stop timed, started again
//      -> all RUNNING; raw s6 is not restarted (`s6-svstat` on each, for
//      scale)
//   8  one program's sleep SIGKILLed -> running again with a new pid,
//      median of 5 (a different program each time)
//
// supervisord is driven over XML-RPC, the way a careful script drives it
// (as raw s6 is driven): adding, the program files written (in the timing,
// as warden's config file is), `reloadConfig`, one system.multicall of
// `addProcessGroup`; removing, the files deleted, `reloadConfig`, one
// multicall of `stopProcess` not waiting, then `removeProcessGroup` of each,
// again for those supervisord has not reaped yet. `supervisorctl update`, the
// documented way, starts a Python interpreter, then stops and removes one
// group at a time, and supervisord answers each stop on a later turn of its
// loop, about a second a program: a note times it on 5 programs.
//
// What each waits on, polled every quarter millisecond, read without asking
// the supervisor: warden and raw s6, the services' supervise/status files
// (current_status(): s6's own record; for step 7, the host's log, as
// host_bench); supervisord, its own log ("spawned: 'NAME' with pid N", then
// "success: NAME entered RUNNING state", "stopped:", "exited:"), checked
// once afterwards against its getAllProcessInfo. Asking supervisord (XML-RPC
// or supervisorctl) turns its event loop, which otherwise turns on I/O, a
// signal, or once a second: a poller would speed up what it measures. A note
// shows step 8 with supervisord asked (getProcessInfo) at every poll, and
// when its log showed the processes spawned, before RUNNING.
//
// Arguments: FEW, MANY, the window in seconds (defaults 200, 1000, 10).
// Run it with tests/bench/run-peer-bench, as root.
#include "proc_stats.hpp"
#include "process.hpp"
#include "raw_s6.hpp"
#include "s6_sandbox.hpp"
#include "steady_state.hpp"
#include "supervisord.hpp"
#include "test_paths.hpp"
#include "text.hpp"
#include "warden_host.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace bench = warden::bench;
namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using bench::Clock;
using bench::median;
using bench::ms_since;
using bench::Supervisord;
using bench::Usage;
using bench::usage_of;
using bench::wait_fine;
using bench::WardenHost;
using warden::test::occurrences;
using warden::test::process_alive;

constexpr int kRepeats = 5;                // status queries, kills
constexpr int kSupervisorctlPrograms = 5;  // the `supervisorctl update` note

// ---- the table -------------------------------------------------------------

enum class Unit { kMs, kCpu, kMiB, kCount };

struct Row {
    std::string label;
    Unit unit;
    double warden, raw, supervisord;  // a negative figure: n/a
};

std::string cell(double v, Unit unit) {
    if (v < 0) return "n/a";
    char text[32];
    switch (unit) {
        case Unit::kMs: std::snprintf(text, sizeof text, "%.1f ms", v); break;
        case Unit::kCpu: std::snprintf(text, sizeof text, "%.2f %%", v); break;
        case Unit::kMiB: std::snprintf(text, sizeof text, "%.1f MiB", v); break;
        case Unit::kCount: std::snprintf(text, sizeof text, "%.0f", v); break;
    }
    return text;
}

// A ratio only where both figures are there and the reference is not next
// to nothing (an idle s6-supervise uses no CPU at all).
std::string ratio(double v, double reference, Unit unit) {
    const double floor = unit == Unit::kCpu ? 0.01 : 1e-9;
    if (unit == Unit::kCount || v < 0 || reference < floor) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.2fx", v / reference);
    return text;
}

void print_table(const std::vector<Row> &rows, const std::vector<std::string> &notes) {
    std::printf("\n%-44s %12s %12s %12s %11s %9s %12s\n", "", "warden", "raw s6", "supervisord",
                "warden/raw", "supd/raw", "supd/warden");
    for (const Row &r : rows)
        std::printf("%-44s %12s %12s %12s %11s %9s %12s\n", r.label.c_str(),
                    cell(r.warden, r.unit).c_str(), cell(r.raw, r.unit).c_str(),
                    cell(r.supervisord, r.unit).c_str(), ratio(r.warden, r.raw, r.unit).c_str(),
                    ratio(r.supervisord, r.raw, r.unit).c_str(),
                    ratio(r.supervisord, r.warden, r.unit).c_str());
    std::printf("\n");
    // By the step they speak of.
    std::vector<std::string> sorted = notes;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
        return std::atoi(a.c_str()) < std::atoi(b.c_str());
    });
    for (const auto &note : sorted) std::printf("  %s\n", note.c_str());
    std::fflush(stdout);
}

std::string format_ms(double ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", ms);
    return text;
}

void progress(const std::string &what) {
    std::fprintf(stderr, "peer_bench: %s\n", what.c_str());
}

std::string thousands(int n) {
    return n >= 1000 ? std::to_string(n / 1000) + "," + std::to_string(n % 1000 + 1000).substr(1)
                     : std::to_string(n);
}

// ---- the machine -----------------------------------------------------------

// The machine's CPU time so far: idle and all, in USER_HZ ticks.
std::pair<double, double> cpu_ticks() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    stat >> cpu;
    double idle = 0, total = 0, value = 0;
    for (int field = 0; field < 8 && stat >> value; ++field) {
        total += value;
        if (field == 3) idle = value;
    }
    return {idle, total};
}

void print_heading(int few, int many, int seconds) {
    std::ifstream load_file("/proc/loadavg");
    std::string load;
    std::getline(load_file, load);
    const auto before = cpu_ticks();
    std::this_thread::sleep_for(1s);  // the idle figure's window
    const auto after = cpu_ticks();
    const auto version = warden::test::run_process({"supervisord", "--version"});
    if (version.exit_code != 0)
        throw std::runtime_error("supervisord --version: " + version.describe());
    std::printf(
        "peer benchmark: warden, raw s6 and supervisord through the same work, one after "
        "another\nmachine before the run: %ld CPUs, loadavg %s, CPU idle %.1f %% over 1 s\n"
        "supervisord %s",
        ::sysconf(_SC_NPROCESSORS_ONLN), load.c_str(),
        100.0 * (after.first - before.first) / (after.second - before.second), version.out.c_str());
    std::printf("%d and %d programs of /bin/sleep 3600; idle window %d s\n", few, many, seconds);
    std::fflush(stdout);
}

// ---- raw s6 ----------------------------------------------------------------

bool none_alive(const std::vector<int64_t> &pids) {
    for (const int64_t pid : pids)
        if (process_alive(static_cast<pid_t>(pid))) return false;
    return true;
}

// Raw s6 on an s6-svscan of its own (with an s6-log for its output, as the
// host's has).
class RawS6 {
public:
    fs::path scan() const { return sandbox_.scan_dir(); }
    const fs::path &root() const { return sandbox_.root(); }

    double add(const std::vector<std::string> &names) {
        for (const auto &name : names) bench::prebuild(scan(), sandbox_.log_root(), name);
        const auto start = Clock::now();
        bench::rename_in(scan(), names);
        if (!wait_fine([&] { return bench::all_up(scan(), names); }, 600s))
            throw std::runtime_error("raw s6 services did not come up");
        return ms_since(start);
    }

    double remove(const std::vector<std::string> &names) {
        const auto pids = pids_of(names);
        const auto start = Clock::now();
        bench::remove_all(scan(), names);
        if (!wait_fine([&] { return none_alive(pids); }, 60s))
            throw std::runtime_error("raw s6 processes outlived their services");
        return ms_since(start);
    }

    std::vector<int64_t> pids_of(const std::vector<std::string> &names) const {
        std::vector<int64_t> pids;
        for (const auto &name : names) pids.push_back(bench::service_pid(scan(), name));
        return pids;
    }

private:
    warden::test::S6Sandbox sandbox_{/*start_svscan=*/true};
};

// ---- the three, step by step ----------------------------------------------

class Peers {
public:
    Peers() {
        warden_.write_config(0, "none");
        warden_.start_host();
        supervisord_.start();
    }
    ~Peers() {
        try {
            warden_.host().signal(SIGTERM);
            warden_.host().wait(60s);
        } catch (...) {
        }
    }

    // -- warden ----------------------------------------------------------------

    double warden_add(int n, const std::string &prefix) {
        const auto services = WardenHost::services(n, prefix);
        const auto start = Clock::now();
        warden_.write_config(n, prefix);
        if (!wait_fine([&] { return warden_.all_up(services); }, 600s))
            throw std::runtime_error("warden's workers did not come up:\n" + warden_.host().err());
        return ms_since(start);
    }

    double warden_remove(int n, const std::string &prefix) {
        const auto services = WardenHost::services(n, prefix);
        std::vector<int64_t> pids;
        for (const auto &s : services) pids.push_back(bench::service_pid(warden_.scan(), s));
        const auto start = Clock::now();
        warden_.write_config(0, prefix);
        if (!wait_fine([&] { return warden_.all_gone(services) && none_alive(pids); }, 600s))
            throw std::runtime_error("warden's workers did not go:\n" + warden_.host().err());
        return ms_since(start);
    }

    // -- supervisord -----------------------------------------------------------

    // Until every program is RUNNING; `spawned` gets when every one had a process.
    double supervisord_add(const std::vector<std::string> &names, double *spawned = nullptr) {
        const auto start = Clock::now();
        supervisord_.write_programs(names);
        supervisord_.add_groups(names);
        const double took = supervisord_running(names, start, spawned);
        check_reported(names);
        return took;
    }

    double supervisord_running(const std::vector<std::string> &names, Clock::time_point start,
                               double *spawned) {
        if (!wait_fine([&] { return supervisord_.all_spawned(names); }, 600s))
            throw std::runtime_error("supervisord did not spawn its programs");
        if (spawned != nullptr) *spawned = ms_since(start);
        if (!wait_fine([&] { return supervisord_.all_running(names); }, 600s))
            throw std::runtime_error("supervisord's programs did not reach RUNNING");
        return ms_since(start);
    }

    double supervisord_remove(const std::vector<std::string> &names) {
        const auto pids = logged_pids(names);
        const auto start = Clock::now();
        supervisord_.delete_programs(names);
        supervisord_.remove_groups(names);
        if (!wait_fine([&] { return none_alive(pids); }, 60s))
            throw std::runtime_error("supervisord's programs outlived their removal");
        return ms_since(start);
    }

    std::vector<int64_t> logged_pids(const std::vector<std::string> &names) {
        const auto &logged = supervisord_.programs_logged();
        std::vector<int64_t> pids;
        for (const auto &name : names) {
            const auto found = logged.find(name);
            pids.push_back(found == logged.end() ? 0 : found->second.pid);
        }
        return pids;
    }

    // What its log told against what it reports, once the timing is over.
    void check_reported(const std::vector<std::string> &names) {
        std::map<std::string, bench::ProgramInfo> reported;
        for (auto &info : supervisord_.programs_reported()) reported[info.name] = info;
        const auto pids = logged_pids(names);
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto found = reported.find(names[i]);
            if (found == reported.end() || found->second.state != "RUNNING" ||
                found->second.pid != pids[i])
                throw std::runtime_error("supervisord reports " + names[i] + " otherwise than " +
                                         "its log told");
        }
    }

    // -- the steps -------------------------------------------------------------

    void add_and_remove(int few, std::vector<Row> &rows) {
        const auto names = bench::program_names(few, "few");
        progress("1. adding " + std::to_string(few));
        Row add{"1. add " + thousands(few) + " -> all running", Unit::kMs, 0, 0, 0};
        add.warden = warden_add(few, "few");
        add.raw = raw_.add(names);
        double spawned = 0;
        add.supervisord = supervisord_add(names, &spawned);
        rows.push_back(add);
        spawned_ = "1: supervisord had spawned them all after " + format_ms(spawned);
        progress("2. removing " + std::to_string(few));
        Row remove{"2. remove those " + thousands(few) + " -> all gone", Unit::kMs, 0, 0, 0};
        remove.warden = warden_remove(few, "few");
        remove.raw = raw_.remove(names);
        remove.supervisord = supervisord_remove(names);
        rows.push_back(remove);
    }

    // Steps 3 to 6, one supervisor after the other: only MANY sleeps at a time.
    void many_idle(int many, int seconds, std::vector<Row> &rows, std::vector<std::string> &notes) {
        const auto names = bench::program_names(many, "many");
        const std::string count = thousands(many);
        Row add{"3. add " + count + " -> all running", Unit::kMs, 0, 0, 0};
        Row cpu{"4. " + count + " idle: CPU, supervisor + helpers", Unit::kCpu, 0, 0, 0};
        Row pss{"   PSS, supervisor + helpers", Unit::kMiB, 0, 0, 0};
        Row cpu_alone{"   CPU, the supervisor process alone", Unit::kCpu, 0, 0, 0};
        Row pss_alone{"   PSS, the supervisor process alone", Unit::kMiB, 0, 0, 0};
        Row status{"5. one status query over " + count + " (median)", Unit::kMs, 0, 0, 0};
        Row remove{"6. remove the " + count + " -> all gone", Unit::kMs, 0, 0, 0};
        std::string counted;

        progress("3-6. warden with " + std::to_string(many));
        add.warden = warden_add(many, "many");
        bench::wait_until_settled(warden_.scan(), many);
        {
            std::vector<pid_t> helpers{warden_.host().pid()};
            const std::size_t s6 = append_s6(helpers, warden_.root());
            const Window w = window({warden_.host().pid()}, helpers, seconds);
            cpu.warden = w.cpu_all, pss.warden = w.pss_all, cpu_alone.warden = w.cpu_alone,
            pss_alone.warden = w.pss_alone;
            counted += "warden: the host + " + std::to_string(s6) + " s6 processes; ";
        }
        std::vector<double> runs;
        for (int i = 0; i < kRepeats; ++i) {
            const auto start = Clock::now();
            const auto result = warden::test::run_process(
                {paths::warden_binary, "--config", warden_.config().string(), "--status"});
            runs.push_back(ms_since(start));
            if (result.exit_code != 0 || occurrences(result.out, "\nexec ") < many)
                throw std::runtime_error("warden --status: " + result.describe());
        }
        status.warden = median(runs);
        remove.warden = warden_remove(many, "many");

        progress("3-6. raw s6 with " + std::to_string(many));
        add.raw = raw_.add(names);
        // Settled once each service has its logger and both supervisors: s6
        // does nothing more at rest.
        if (!wait_fine(
                [&] {
                    return bench::processes_named("s6-log", raw_.root()).size() >= names.size() &&
                           bench::processes_named("s6-supervise", raw_.root()).size() >=
                               2 * names.size();
                },
                60s))
            throw std::runtime_error("raw s6: not every logger and supervisor ran within 60 s");
        {
            std::vector<pid_t> helpers;
            const std::size_t s6 = append_s6(helpers, raw_.root());
            const auto svscan = bench::processes_named("s6-svscan", raw_.root());
            const Window w = window(svscan, helpers, seconds);
            cpu.raw = w.cpu_all, pss.raw = w.pss_all, cpu_alone.raw = w.cpu_alone,
            pss_alone.raw = w.pss_alone;
            counted += "raw s6: " + std::to_string(s6) + " s6 processes; ";
        }
        runs.clear();
        for (int i = 0; i < kRepeats; ++i) {
            const auto start = Clock::now();
            bench::svstat_all(raw_.scan(), names);
            runs.push_back(ms_since(start));
        }
        status.raw = median(runs);
        remove.raw = raw_.remove(names);

        progress("3-6. supervisord with " + std::to_string(many));
        double spawned = 0;
        add.supervisord = supervisord_add(names, &spawned);
        spawned_ += "; 3: after " + format_ms(spawned);
        // Settled once every program runs in its directory (RUNNING, above,
        // is logged a turn after the spawn).
        if (!wait_fine(
                [&] {
                    return bench::processes_named("sleep", supervisord_.root()).size() >=
                           names.size();
                },
                60s))
            throw std::runtime_error("supervisord: not every program ran within 60 s");
        {
            const pid_t supervisord = supervisord_.pid();
            const Window w = window({supervisord}, {supervisord}, seconds);
            cpu.supervisord = w.cpu_all, pss.supervisord = w.pss_all,
            cpu_alone.supervisord = w.cpu_alone, pss_alone.supervisord = w.pss_alone;
            counted += "supervisord: itself";
        }
        runs.clear();
        std::vector<double> rpc_runs;
        for (int i = 0; i < kRepeats; ++i) {
            auto start = Clock::now();
            const auto result = supervisord_.ctl({"status"});
            runs.push_back(ms_since(start));
            if (occurrences(result.out, " RUNNING ") < many)
                throw std::runtime_error("supervisorctl status: " + result.describe());
            start = Clock::now();
            const auto reported = supervisord_.programs_reported();
            rpc_runs.push_back(ms_since(start));
            if (reported.size() < static_cast<std::size_t>(many))
                throw std::runtime_error("getAllProcessInfo left programs out");
        }
        status.supervisord = median(runs);
        const double supervisorctl_alone = time_supervisorctl_alone();
        remove.supervisord = supervisord_remove(names);

        rows.insert(rows.end(), {add, cpu, pss, cpu_alone, pss_alone, status, remove});
        notes.push_back("4: " + std::to_string(seconds) + " s window after the settle wait; " +
                        counted + " (the " + count + " sleeps left out)");
        char text[300];
        std::snprintf(text, sizeof text,
                      "5: supervisorctl status = its Python start and a small call %.0f ms "
                      "(`supervisorctl pid`) "
                      "+ getAllProcessInfo over XML-RPC, alone %.1f ms",
                      supervisorctl_alone, median(rpc_runs));
        notes.push_back(text);
    }

    void restart_and_kill(int few, std::vector<Row> &rows, std::vector<std::string> &notes) {
        const auto names = bench::program_names(few, "kept");
        const auto services = WardenHost::services(few, "kept");
        progress("7. " + std::to_string(few) + " running, the supervisors restarted");
        const int running_before = occurrences(warden_.host().err(), "-> running");
        warden_add(few, "kept");
        // The host has them all running in its own log before it is killed.
        if (!wait_fine([&] { return host_running(running_before + few); }, 120s))
            throw std::runtime_error("the host did not log every worker running");
        raw_.add(names);
        supervisord_add(names);

        Row restart{"7. restart with " + thousands(few) + " running -> all running", Unit::kMs, 0,
                    -1, 0};
        Row stop{"   the stop before it", Unit::kMs, 0, -1, 0};
        Row changed{"   children restarted (of " + std::to_string(few) + ")", Unit::kCount, 0, -1,
                    0};
        std::vector<int64_t> before;
        for (const auto &s : services) before.push_back(bench::service_pid(warden_.scan(), s));
        auto start = Clock::now();
        warden_.host().signal(SIGKILL);
        warden_.host().wait(10s);
        warden_.drop_host();
        stop.warden = ms_since(start);
        start = Clock::now();
        warden_.start_host();
        if (!wait_fine([&] { return host_running(few); }, 600s))
            throw std::runtime_error("the host did not adopt its workers:\n" +
                                     warden_.host().err());
        restart.warden = ms_since(start);
        for (std::size_t i = 0; i < services.size(); ++i)
            changed.warden += bench::service_pid(warden_.scan(), services[i]) != before[i];

        const auto svstat_start = Clock::now();
        bench::svstat_all(raw_.scan(), names);
        const double svstat = ms_since(svstat_start);

        before = logged_pids(names);
        start = Clock::now();
        supervisord_.stop();
        stop.supervisord = ms_since(start);
        start = Clock::now();
        supervisord_.start();
        double spawned = 0;
        restart.supervisord = supervisord_running(names, start, &spawned);
        spawned_ += "; 7: after " + format_ms(spawned);
        check_reported(names);
        const auto after = logged_pids(names);
        for (std::size_t i = 0; i < names.size(); ++i) changed.supervisord += after[i] != before[i];
        rows.insert(rows.end(), {restart, stop, changed});
        char text[300];
        std::snprintf(text, sizeof text,
                      "7: warden SIGKILLed (its stop: the kill and the reaping), raw s6 not "
                      "restarted: s6-svstat x%d takes %.1f ms; supervisord SIGTERMed",
                      few, svstat);
        notes.push_back(text);

        progress("8. one child killed, " + std::to_string(kRepeats) + " times");
        Row kill{"8. one child SIGKILLed -> running again", Unit::kMs, 0, 0, 0};
        std::vector<double> w, r, s, s_spawned, asked;
        for (int i = 0; i < kRepeats && i < few; ++i) {
            w.push_back(kill_s6_child(warden_.scan(), services[i]));
            r.push_back(kill_s6_child(raw_.scan(), names[i]));
            s_spawned.push_back(0);
            s.push_back(kill_supervisord_child(names[i], false, &s_spawned.back()));
        }
        for (int i = kRepeats; i < 2 * kRepeats && i < few; ++i)
            asked.push_back(kill_supervisord_child(names[i], true, nullptr));
        kill.warden = median(w), kill.raw = median(r), kill.supervisord = median(s);
        rows.push_back(kill);
        spawned_ += "; 8: after " + format_ms(median(s_spawned));
        notes.push_back(spawned_ + " (RUNNING comes on a later turn of its loop)");
        notes.push_back(
            "8: s6-supervise spawns ./run again a second after its death (warden and raw s6 "
            "alike)");
        if (!asked.empty()) {
            std::snprintf(text, sizeof text,
                          "8: supervisord asked (getProcessInfo) at every poll instead of its log "
                          "read: %.1f ms (median of %zu)",
                          median(asked), asked.size());
            notes.push_back(text);
        }

        progress("removing the " + std::to_string(few));
        warden_remove(few, "kept");
        raw_.remove(names);
        supervisord_remove(names);
    }

    // `supervisorctl update`, the documented way, on a few programs.
    void supervisorctl_update(std::vector<std::string> &notes) {
        const auto names = bench::program_names(kSupervisorctlPrograms, "ctl");
        progress("supervisorctl update with " + std::to_string(names.size()));
        auto start = Clock::now();
        supervisord_.write_programs(names);
        supervisord_.ctl({"update"});
        if (!wait_fine([&] { return supervisord_.all_running(names); }, 60s))
            throw std::runtime_error("supervisorctl update did not start the programs");
        const double added = ms_since(start);
        const auto pids = logged_pids(names);
        start = Clock::now();
        supervisord_.delete_programs(names);
        supervisord_.ctl({"update"});
        if (!wait_fine([&] { return none_alive(pids); }, 60s))
            throw std::runtime_error("supervisorctl update did not stop the programs");
        const double removed = ms_since(start);
        char text[300];
        std::snprintf(text, sizeof text,
                      "1, 2: supervisorctl update, %zu programs: added -> running %.0f ms, "
                      "removed -> gone %.0f ms",
                      names.size(), added, removed);
        notes.push_back(text);
    }

private:
    struct Window {
        double cpu_all, pss_all, cpu_alone, pss_alone;
    };

    // s6-svscan, every s6-supervise and every s6-log working under `root`.
    static std::size_t append_s6(std::vector<pid_t> &pids, const fs::path &root) {
        std::size_t n = 0;
        for (const char *name : {"s6-svscan", "s6-supervise", "s6-log"})
            for (const pid_t pid : bench::processes_named(name, root)) {
                pids.push_back(pid);
                ++n;
            }
        return n;
    }

    // One reading of each process before the window and one after, so that
    // the processes alone (among `all`) are a part of the whole; the span
    // runs from the start of the first reading to that of the second.
    static Window window(const std::vector<pid_t> &alone, const std::vector<pid_t> &all,
                         int seconds) {
        const auto start = Clock::now();
        std::vector<Usage> before;
        for (const pid_t pid : all) before.push_back(usage_of(pid));
        std::this_thread::sleep_for(std::chrono::seconds(seconds));  // the window measured
        const double span = ms_since(start) / 1000.0;
        Window w{0, 0, 0, 0};
        for (std::size_t i = 0; i < all.size(); ++i) {
            const Usage after = usage_of(all[i]);
            const double cpu = 100.0 * (after.cpu_seconds - before[i].cpu_seconds) / span;
            const double pss = static_cast<double>(after.pss_kib) / 1024.0;
            w.cpu_all += cpu, w.pss_all += pss;
            if (std::find(alone.begin(), alone.end(), all[i]) != alone.end())
                w.cpu_alone += cpu, w.pss_alone += pss;
        }
        return w;
    }

    bool host_running(int workers) {
        return occurrences(warden_.host().err(), "-> running") >= workers;
    }

    // What supervisorctl costs before it asks anything: `supervisorctl pid`.
    double time_supervisorctl_alone() const {
        std::vector<double> runs;
        for (int i = 0; i < kRepeats; ++i) {
            const auto start = Clock::now();
            supervisord_.ctl({"pid"});
            runs.push_back(ms_since(start));
        }
        return median(runs);
    }

    static double kill_s6_child(const fs::path &scan, const std::string &service) {
        const int64_t old = bench::service_pid(scan, service);
        if (old == 0 || ::kill(static_cast<pid_t>(old), SIGKILL) != 0)
            throw std::runtime_error("no process to kill in " + service);
        const auto start = Clock::now();
        if (!wait_fine(
                [&] {
                    const int64_t pid = bench::service_pid(scan, service);
                    return pid != 0 && pid != old;
                },
                60s))
            throw std::runtime_error(service + " did not run again");
        return ms_since(start);
    }

    // Until it is RUNNING again, as its log tells or, `asked`, as
    // getProcessInfo answers; `spawned` gets when its log showed a new process.
    double kill_supervisord_child(const std::string &name, bool asked, double *spawned) {
        const int64_t old = logged_pids({name})[0];
        if (old == 0 || ::kill(static_cast<pid_t>(old), SIGKILL) != 0)
            throw std::runtime_error("no process to kill in " + name);
        const auto start = Clock::now();
        const auto logged_again = [&](bool running) {
            const auto &logged = supervisord_.programs_logged();
            const auto found = logged.find(name);
            return found != logged.end() && found->second.pid != 0 && found->second.pid != old &&
                   (found->second.running || !running);
        };
        if (spawned != nullptr) {
            if (!wait_fine([&] { return logged_again(false); }, 60s))
                throw std::runtime_error(name + " was not spawned again under supervisord");
            *spawned = ms_since(start);
        }
        if (!wait_fine(
                [&] {
                    if (!asked) return logged_again(true);
                    const auto info = supervisord_.program_reported(name);
                    return info.state == "RUNNING" && info.pid != old;
                },
                60s))
            throw std::runtime_error(name + " did not run again under supervisord");
        return ms_since(start);
    }

    WardenHost warden_;
    RawS6 raw_;
    Supervisord supervisord_;
    std::string spawned_;  // the note: when supervisord had spawned, step by step
};

int run(int few, int many, int seconds) {
    print_heading(few, many, seconds);
    Peers peers;
    std::vector<Row> rows;
    std::vector<std::string> notes;
    peers.add_and_remove(few, rows);
    peers.supervisorctl_update(notes);
    peers.many_idle(many, seconds, rows, notes);
    peers.restart_and_kill(few, rows, notes);
    print_table(rows, notes);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    const int few = argc > 1 ? std::atoi(argv[1]) : 200;
    const int many = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
    if (few < 1 || many < 1 || seconds < 1) {
        std::fprintf(stderr, "usage: peer_bench [FEW [MANY [SECONDS]]]\n");
        return 2;
    }
    try {
        return run(few, many, seconds);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "peer_bench: %s\n", e.what());
        return 1;
    }
}
