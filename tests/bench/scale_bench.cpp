// SPDX-License-Identifier: Apache-2.0
// tests/bench/scale_bench.cpp — how the whole host scales from 100 to 5,000
// exec workers (`/bin/sleep 3600`, each with its logger: four s6-related
// processes a worker), the real `warden` binary with its embedded
// s6-svscan beside raw s6 on the same s6-svscan, in the same run. For each
// size N, on a fresh host:
//
//   limits       the machine's, checked first (machine_limits.hpp): a limit
//                N would hit is named with what raises it, and N and every
//                larger size are skipped
//   add all      raw s6: N prebuilt service dirs renamed in, one
//                s6-svscanctl -a each -> every process up; then the host's
//                config gains N workers (renamed in: one reload) -> every
//                process up
//   raw view     s6-svstat on every raw service, one after another; and
//                every status file read in process
//   raw kill     SIGKILL a raw service's program -> its status file shows
//                the death (pid 0: the change the host is told of); and
//                the spawn stamp of the new process, which s6-supervise
//                starts a second after the death (s6-supervise's
//                documentation: a process that never notified readiness)
//   at rest      once every worker is observed at the settled interval:
//                the host's CPU (% of one core), RSS, descriptors, threads
//                over a window, beside the s6 processes' CPU and PSS
//   --status     `warden --scan-dir DIR --status`, the binary's wall time,
//                median and p99 of several calls
//   kill         SIGKILL a worker's program -> its worker's new state
//                (degraded: its state changes counted up) in the host's
//                report, asked through the status socket with the project's
//                status client in process (steady_state's reports_of) every
//                5 ms; the figure is the state's own time in the report
//                (when `--status` shows it) less the kill's, and beside it
//                the time until the asking client saw it
//   adoption     the host SIGKILLed with N running, started again -> every
//                worker running in its report; processes restarted
//
// One table at the end (ratios to raw s6 beside the figures), the figures
// as a data file, and a chart of them drawn by gnuplot with scale.gp.
//
// Arguments: [--window S] [--kills K] [--status-calls R] [--data FILE]
// [--chart FILE] [N...]. Run it with tests/bench/run-scale-bench, as root.
#include "machine_limits.hpp"
#include "proc_stats.hpp"
#include "raw_s6.hpp"
#include "steady_state.hpp"
#include "warden_host.hpp"

#include "process.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include "s6/service_status.hpp"
#include "supervisor/supervisor_settings.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using warden::bench::Clock;
using warden::bench::median;
using warden::bench::ms_since;
using warden::bench::reports_of;
using warden::bench::Usage;
using warden::bench::usage_of;
using warden::bench::wait_fine;
using warden::host::current_status;
using warden::host::WorkerReport;

struct Options {
    std::vector<int> sizes;
    int window_seconds = 30;
    int kills = 50;
    int status_calls = 30;
    fs::path data = "scale.dat";
    fs::path chart = "scale.svg";
};

// One size's figures; times in ms.
struct Row {
    int workers = 0;
    double add = 0, raw_add = 0, all_running = 0;
    double host_cpu = 0, host_rss_mib = 0;
    int host_fds = 0;
    long host_threads = 0;
    double s6_cpu = 0, s6_pss_mib = 0, programs_pss_mib = 0;
    std::size_t s6_processes = 0;
    double adopt = 0;
    int restarted = 0;
    double svstat = 0, read_files = 0;
    double status_p50 = 0, status_p99 = 0;
    double kill_p50 = 0, kill_p99 = 0;            // the worker's new state in the report
    double raw_down_p50 = 0, raw_down_p99 = 0;    // the status file showing the death
    double raw_restart_p50 = 0, restart_p50 = 0;  // s6 spawned the program again
};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::vector<std::string> names(int n, const std::string &prefix) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

// Every service up, checked in order from the first one not seen up yet: a
// process once up stays up (sleep 3600), so each poll costs little while
// it waits on one service, however many there are.
class UpCursor {
public:
    UpCursor(const fs::path &scan, const std::vector<std::string> &services)
        : scan_(scan), services_(services) {}
    bool all_up() {
        while (next_ < services_.size()) {
            const auto status = current_status(scan_ / services_[next_]);
            if (!status || !status->up()) return false;
            ++next_;
        }
        return true;
    }
    std::size_t up() const { return next_; }

private:
    const fs::path scan_;
    const std::vector<std::string> &services_;
    std::size_t next_ = 0;
};

warden::test::ProcessOptions within(std::chrono::milliseconds timeout) {
    warden::test::ProcessOptions options;
    options.timeout = timeout;
    return options;
}

int64_t pid_of(const fs::path &service_dir) {
    const auto status = current_status(service_dir);
    return status && status->up() ? status->pid : 0;
}

void kill_pid(int64_t pid) {
    if (pid <= 1 || !warden::test::signal_process(static_cast<pid_t>(pid), SIGKILL))
        throw std::runtime_error("cannot kill process " + std::to_string(pid));
}

int64_t unix_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Programs killed one after another: when, and which pid. s6-supervise
// starts a process that never notified readiness again one second after
// its death (s6-supervise's documentation), so the kills do not wait: once
// they are all done, the new processes' spawn stamps in their status files
// tell how long after its kill each came back.
class Kills {
public:
    explicit Kills(const fs::path &scan) : scan_(scan) {}
    // Kills the program of `service`; the pid it killed.
    int64_t kill(const std::string &service) {
        const int64_t pid = pid_of(scan_ / service);
        kills_.push_back({service, pid, unix_now_ns()});
        kill_pid(pid);
        return pid;
    }
    // Waits until every killed service runs a new process; the time from
    // each kill to its new process's spawn, in ms.
    std::vector<double> restarts() const {
        std::vector<double> ms;
        for (const Kill &k : kills_) {
            std::optional<warden::host::StatusRecord> status;
            if (!wait_fine(
                    [&] {
                        status = current_status(scan_ / k.service);
                        return status && status->up() && status->pid != k.pid;
                    },
                    30s))
                throw std::runtime_error("s6 did not start " + k.service + " again");
            ms.push_back(static_cast<double>(status->stamp_ns - k.at_ns) / 1e6);
        }
        return ms;
    }

private:
    struct Kill {
        std::string service;
        int64_t pid;
        int64_t at_ns;
    };
    const fs::path scan_;
    std::vector<Kill> kills_;
};

// The K services of N to kill, spread over them.
std::vector<int> spread(int n, int k) {
    std::vector<int> out;
    for (int i = 0; i < std::min(n, k); ++i) out.push_back(static_cast<int>(1LL * i * n / k));
    return out;
}

const WorkerReport *find(const std::vector<WorkerReport> &reports, const std::string &name) {
    for (const WorkerReport &r : reports)
        if (r.worker.name == name) return &r;
    return nullptr;
}

int count_running(const std::vector<WorkerReport> &reports) {
    int n = 0;
    for (const WorkerReport &r : reports) n += r.worker.state == "running";
    return n;
}

class ScaleRun : public warden::bench::WardenHost {
public:
    ScaleRun(const Options &options, int workers) : options_(options), n_(workers) {
        row_.workers = workers;
    }

    // False when s6-svscan cannot take N: said why, nothing measured.
    bool start() {
        write_config(0, "w");
        start_host();
        const auto svscans = warden::bench::processes_named("s6-svscan", root());
        if (svscans.size() != 1)
            throw std::runtime_error("expected one s6-svscan under " + root().string() +
                                     ", found " + std::to_string(svscans.size()));
        std::printf("  s6-svscan the host started (pid %d):\n", svscans[0]);
        return warden::bench::print_limits(warden::bench::svscan_limits(svscans[0], n_));
    }

    void raw_phase() {
        const auto raw = names(n_, "raw-");
        auto start = Clock::now();
        for (const auto &name : raw) warden::bench::prebuild(scan(), log_root(), name);
        std::printf("  raw s6: %d service dirs prebuilt in %.1f s (not timed below)\n", n_,
                    ms_since(start) / 1000);
        std::fflush(stdout);
        UpCursor cursor(scan(), raw);
        start = Clock::now();
        warden::bench::rename_in(scan(), raw);
        if (!wait_fine([&] { return cursor.all_up(); }, 600s))
            throw std::runtime_error("raw services did not all come up: " +
                                     std::to_string(cursor.up()) + " of " + std::to_string(n_));
        row_.raw_add = ms_since(start);

        start = Clock::now();
        warden::bench::svstat_all(scan(), raw);
        row_.svstat = ms_since(start);
        row_.read_files = read_every_status(raw);

        std::vector<double> down;
        Kills kills(scan());
        for (int i : spread(n_, options_.kills)) {
            const std::string &service = raw[static_cast<std::size_t>(i)];
            const auto at = Clock::now();
            const int64_t old = kills.kill(service);
            if (!wait_fine([&] { return pid_of(scan() / service) != old; }, 30s))
                throw std::runtime_error("s6 did not see " + service + " die");
            down.push_back(ms_since(at));
        }
        const std::vector<double> restarts = kills.restarts();
        row_.raw_down_p50 = percentile(down, 0.5);
        row_.raw_down_p99 = percentile(down, 0.99);
        row_.raw_restart_p50 = percentile(restarts, 0.5);

        start = Clock::now();
        warden::bench::remove_all(scan(), raw);
        std::printf(
            "  raw s6: %d up in %.0f ms; s6-svstat x%d %.0f ms; %d status files read %.1f ms; "
            "%zu programs killed -> the status file shows the death p50 %.2f ms, p99 %.2f ms, "
            "the new process p50 %.0f ms (s6's one-second pause); all removed in %.1f s\n",
            n_, row_.raw_add, n_, row_.svstat, n_, row_.read_files, down.size(), row_.raw_down_p50,
            row_.raw_down_p99, row_.raw_restart_p50, ms_since(start) / 1000);
        std::fflush(stdout);
    }

    void add_all() {
        const auto services = WardenHost::services(n_, "w");
        UpCursor cursor(scan(), services);
        const auto start = Clock::now();
        write_config(n_, "w");
        if (!wait_fine([&] { return cursor.all_up(); }, 900s))
            throw std::runtime_error(
                "the workers' processes did not all come up: " + std::to_string(cursor.up()) +
                " of " + std::to_string(n_) + "\n" + tail(host().err()));
        row_.add = ms_since(start);
        wait_all_running(900s, "not every worker reached running");
        row_.all_running = ms_since(start);
        std::printf(
            "  warden: config +%d workers -> every process up %.0f ms (raw %.0f ms, %.2fx); "
            "every worker running in the report %.0f ms\n",
            n_, row_.add, row_.raw_add, row_.add / row_.raw_add, row_.all_running);
        std::fflush(stdout);
    }

    void at_rest() {
        const auto settling = Clock::now();
        warden::bench::wait_until_settled(scan(), n_);
        const double settled_s = ms_since(settling) / 1000;
        const pid_t host_pid = host().pid();
        std::vector<pid_t> s6 = warden::bench::processes_named("s6-svscan", root());
        for (pid_t p : warden::bench::processes_named("s6-supervise", root())) s6.push_back(p);
        for (pid_t p : warden::bench::processes_named("s6-log", root())) s6.push_back(p);
        const std::vector<pid_t> programs = warden::bench::processes_named("sleep", root());
        const Usage host_before = usage_of(host_pid), s6_before = usage_of(s6);
        const auto window = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(options_.window_seconds));  // measured
        const double span = ms_since(window) / 1000;
        const Usage host_after = usage_of(host_pid);
        const Usage s6_after = usage_of(s6), programs_after = usage_of(programs);
        row_.host_cpu = 100.0 * (host_after.cpu_seconds - host_before.cpu_seconds) / span;
        row_.host_rss_mib = static_cast<double>(host_after.rss_kib) / 1024;
        row_.host_threads = host_after.threads;
        row_.host_fds = warden::bench::open_fds_of(host_pid);
        row_.s6_cpu = 100.0 * (s6_after.cpu_seconds - s6_before.cpu_seconds) / span;
        row_.s6_pss_mib = static_cast<double>(s6_after.pss_kib) / 1024;
        row_.s6_processes = s6.size();
        row_.programs_pss_mib = static_cast<double>(programs_after.pss_kib) / 1024;
        std::printf(
            "  at rest (%.0f s window, after %.1f s for every worker to settle): host CPU %.2f%% "
            "of one core, RSS %.1f MiB (PSS %.1f), %d fds, %ld threads; s6 (s6-svscan, "
            "s6-supervise, s6-log: %zu processes) CPU %.2f%%, PSS %.1f MiB; the %zu programs "
            "PSS %.1f MiB\n",
            span, settled_s, row_.host_cpu, row_.host_rss_mib,
            static_cast<double>(host_after.pss_kib) / 1024, row_.host_fds, row_.host_threads,
            row_.s6_processes, row_.s6_cpu, row_.s6_pss_mib, programs.size(),
            row_.programs_pss_mib);
        std::fflush(stdout);
    }

    void status_calls() {
        std::vector<double> took, files;
        const auto services = WardenHost::services(n_, "w");
        for (int i = 0; i < options_.status_calls; ++i) {
            const auto start = Clock::now();
            const auto result = warden::test::run_process(
                {paths::warden_binary, "--scan-dir", scan().string(), "--status"}, within(60s));
            took.push_back(ms_since(start));
            if (result.exit_code != 0)
                throw std::runtime_error("warden --status failed: " + result.describe());
            if (std::count(result.out.begin(), result.out.end(), '\n') < n_ + 2)
                throw std::runtime_error("warden --status did not list every worker:\n" +
                                         result.out.substr(0, 2000));
            files.push_back(read_every_status(services));
        }
        row_.status_p50 = percentile(took, 0.5);
        row_.status_p99 = percentile(took, 0.99);
        row_.read_files = median(files);
        std::printf(
            "  warden --status, %d calls: p50 %.1f ms, p99 %.1f ms (the %d status files read in "
            "process: %.1f ms)\n",
            options_.status_calls, row_.status_p50, row_.status_p99, n_, row_.read_files);
        std::fflush(stdout);
    }

    void kills() {
        const auto services = WardenHost::services(n_, "w");
        std::vector<double> seen, asked;
        Kills kills(scan());
        for (int i : spread(n_, options_.kills)) {
            const std::string name = "w" + std::to_string(i);
            const auto before = reports_of(scan());
            const WorkerReport *worker = find(before, name);
            if (worker == nullptr || worker->worker.state != "running")
                throw std::runtime_error(name + " is not running before its kill");
            const uint64_t changes = worker->worker.state_changes;
            const int64_t killed_at = unix_now_ns();
            const auto at = Clock::now();
            kills.kill(services[static_cast<std::size_t>(i)]);
            // Asked every 5 ms: the figure is the new state's own time in
            // the report, so how often it is asked does not change it.
            const auto deadline = at + 30s;
            int64_t changed_at = 0;
            while (changed_at == 0) {
                if (Clock::now() >= deadline)
                    throw std::runtime_error("the host's report did not show " + name +
                                             "'s new state within 30 s");
                std::this_thread::sleep_for(5ms);
                const auto reports = reports_of(scan());
                const WorkerReport *w = find(reports, name);
                if (w != nullptr && w->worker.state_changes > changes)
                    changed_at = w->worker.state_since;
            }
            seen.push_back(static_cast<double>(changed_at - killed_at) / 1e6);
            asked.push_back(ms_since(at));
        }
        const std::vector<double> restarts = kills.restarts();
        row_.kill_p50 = percentile(seen, 0.5);
        row_.kill_p99 = percentile(seen, 0.99);
        row_.restart_p50 = percentile(restarts, 0.5);
        std::printf(
            "  %zu programs killed -> the worker's new state in the host (its time in the "
            "report, less the kill's): p50 %.1f ms, p99 %.1f ms; seen by a client asking every "
            "5 ms: p50 %.1f ms, p99 %.1f ms; s6 started each again after p50 %.0f ms\n",
            seen.size(), row_.kill_p50, row_.kill_p99, percentile(asked, 0.5),
            percentile(asked, 0.99), row_.restart_p50);
        std::fflush(stdout);
        // Back to running (s6 restarted each; the worker recovers after
        // its stable time) before the host is killed.
        wait_all_running(120s, "the killed workers did not run again");
    }

    void adoption() {
        const auto services = WardenHost::services(n_, "w");
        std::vector<int64_t> before;
        for (const auto &s : services) before.push_back(pid_of(scan() / s));
        host().signal(SIGKILL);
        if (!host().wait(10s)) throw std::runtime_error("the host did not die of SIGKILL");
        drop_host();
        const auto start = Clock::now();
        start_host();
        int running = 0;
        if (!wait_fine(
                [&] {
                    const auto reports = reports_of(scan());
                    running = count_running(reports);
                    return static_cast<int>(reports.size()) == n_ && running == n_;
                },
                600s))
            throw std::runtime_error(
                "the restarted host did not adopt every worker: " + std::to_string(running) +
                " of " + std::to_string(n_) + " running\n" + tail(host().err()));
        row_.adopt = ms_since(start);
        for (std::size_t i = 0; i < services.size(); ++i)
            row_.restarted += pid_of(scan() / services[i]) != before[i];
        std::printf(
            "  host SIGKILLed, started again -> every worker running in its report: %.0f ms, "
            "%d of %d processes restarted (raw: s6-svstat x%d %.0f ms)\n",
            row_.adopt, row_.restarted, n_, n_, row_.svstat);
        std::fflush(stdout);
    }

    void stop() {
        const auto start = Clock::now();
        host().signal(SIGTERM);
        if (!host().wait(120s)) throw std::runtime_error("the host did not exit on SIGTERM");
        if (host().exit_code() != 0)
            throw std::runtime_error("the host exited with " + std::to_string(host().exit_code()));
        std::printf("  host stopped (SIGTERM, services left running) in %.0f ms\n",
                    ms_since(start));
        std::fflush(stdout);
    }

    const Row &row() const { return row_; }

private:
    double read_every_status(const std::vector<std::string> &services) const {
        const auto start = Clock::now();
        int up = 0;
        for (const auto &s : services) up += pid_of(scan() / s) != 0;
        if (up != n_) throw std::runtime_error("not every service is up");
        return ms_since(start);
    }

    // Waits until the host's report shows every worker running; throws
    // `failure`, how many were and the host's log, when it did not.
    void wait_all_running(std::chrono::seconds timeout, const std::string &failure) {
        int running = 0;
        if (!wait_fine(
                [&] {
                    running = count_running(reports_of(scan()));
                    return running == n_;
                },
                timeout))
            throw std::runtime_error(failure + ": " + std::to_string(running) + " of " +
                                     std::to_string(n_) + "\n" + tail(host().err()));
    }

    static std::string tail(const std::string &log) {
        return log.size() <= 4000 ? log : "..." + log.substr(log.size() - 4000);
    }

    const Options &options_;
    const int n_;
    Row row_;
};

std::string ratio(double ours, double raw) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2fx", raw > 0 ? ours / raw : 0.0);
    return text;
}

void print_table(const std::vector<Row> &rows) {
    std::printf("\n%7s | %-29s | %-26s | %-21s | %-36s | %-34s | %-32s\n", "workers",
                "add all: warden, raw s6", "host at rest: CPU, RSS, fd", "s6 at rest: CPU, PSS",
                "adoption: full view, restarted, raw", "--status p50, p99 (raw: files)",
                "killed -> seen p50, p99 (raw p99)");
    for (const Row &r : rows) {
        char add[64], rest[64], s6[64], adopt[64], status[64], kill[64];
        std::snprintf(add, sizeof add, "%7.0f ms %7.0f ms %s", r.add, r.raw_add,
                      ratio(r.add, r.raw_add).c_str());
        std::snprintf(rest, sizeof rest, "%5.2f%% %6.1f MiB %5d", r.host_cpu, r.host_rss_mib,
                      r.host_fds);
        std::snprintf(s6, sizeof s6, "%5.2f%% %7.1f MiB", r.s6_cpu, r.s6_pss_mib);
        std::snprintf(adopt, sizeof adopt, "%6.0f ms %4d %6.0f ms %s", r.adopt, r.restarted,
                      r.svstat, ratio(r.adopt, r.svstat).c_str());
        std::snprintf(status, sizeof status, "%6.1f %6.1f ms (%5.1f) %s", r.status_p50,
                      r.status_p99, r.read_files, ratio(r.status_p50, r.read_files).c_str());
        std::snprintf(kill, sizeof kill, "%5.1f %6.1f ms %5.2f ms %s", r.kill_p50, r.kill_p99,
                      r.raw_down_p99, ratio(r.kill_p99, r.raw_down_p99).c_str());
        std::printf("%7d | %-29s | %-26s | %-21s | %-36s | %-34s | %-32s\n", r.workers, add, rest,
                    s6, adopt, status, kill);
    }
    std::printf(
        "goals: add all within 1.2x raw at 1,000; at 5,000 host CPU under 1%%, RSS under 128 "
        "MiB, adoption within 2 s with 0 restarted, --status under 100 ms, a kill seen within "
        "20 ms at p99\n");
    std::printf(
        "raw: add all = rename + s6-svscanctl -a per service; adoption = s6-svstat on every "
        "service, one after another; --status = every status file read in process; kill = "
        "the status file showing the death (s6 starts the program again a second after its death, "
        "for warden and raw alike)\n");
    std::fflush(stdout);
}

void write_data(const fs::path &file, const std::vector<Row> &rows) {
    std::ofstream out(file);
    out << "# tests/bench/scale_bench: one row per number of exec workers; times in ms\n"
           "# workers add_warden add_raw host_cpu_pct host_rss_mib s6_cpu_pct s6_pss_mib "
           "adopt restarted svstat_all status_p50 status_p99 kill_p50 kill_p99 raw_down_p99 "
           "restart_p50\n";
    for (const Row &r : rows)
        out << r.workers << ' ' << r.add << ' ' << r.raw_add << ' ' << r.host_cpu << ' '
            << r.host_rss_mib << ' ' << r.s6_cpu << ' ' << r.s6_pss_mib << ' ' << r.adopt << ' '
            << r.restarted << ' ' << r.svstat << ' ' << r.status_p50 << ' ' << r.status_p99 << ' '
            << r.kill_p50 << ' ' << r.kill_p99 << ' ' << r.raw_down_p99 << ' ' << r.restart_p50
            << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

void draw_chart(const fs::path &data, const fs::path &chart) {
    const fs::path script = fs::path(paths::source_dir) / "tests/bench/scale.gp";
    const auto result = warden::test::run_process(
        {"gnuplot", "-e", "data='" + data.string() + "'; chart='" + chart.string() + "'",
         script.string()},
        within(60s));
    if (result.exit_code != 0)
        throw std::runtime_error(
            "gnuplot failed (Debian's gnuplot-nox; run-scale-bench installs it): " +
            result.describe());
}

Options parse(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--window" && has_value) {
            o.window_seconds = std::atoi(argv[++i]);
        } else if (arg == "--kills" && has_value) {
            o.kills = std::atoi(argv[++i]);
        } else if (arg == "--status-calls" && has_value) {
            o.status_calls = std::atoi(argv[++i]);
        } else if (arg == "--data" && has_value) {
            o.data = argv[++i];
        } else if (arg == "--chart" && has_value) {
            o.chart = argv[++i];
        } else if (std::atoi(arg.c_str()) > 0) {
            o.sizes.push_back(std::atoi(arg.c_str()));
        } else {
            throw std::invalid_argument(
                "usage: scale_bench [--window S] [--kills K] [--status-calls R] [--data FILE] "
                "[--chart FILE] [N...]");
        }
    }
    if (o.sizes.empty()) o.sizes = {100, 1000, 2500, 5000};
    if (o.window_seconds < 1 || o.kills < 1 || o.status_calls < 1)
        throw std::invalid_argument("--window, --kills and --status-calls take positive numbers");
    return o;
}

int run(const Options &options) {
    const auto started = Clock::now();
    const warden::host::SupervisorSettings d;
    std::printf(
        "warden host with embedded s6-svscan, exec workers running /bin/sleep 3600 with a "
        "logger each, default supervisor settings (tick %lld ms, observation %lld ms, settled "
        "%lld ms)\nmachine: %s\n",
        static_cast<long long>(d.tick.count()),
        static_cast<long long>(d.observation_interval.count()),
        static_cast<long long>(d.idle_observation_interval.count()),
        warden::bench::describe(warden::bench::idle_state()).c_str());
    std::fflush(stdout);
    std::vector<Row> rows;
    for (int n : options.sizes) {
        std::printf("\n%d workers (%d processes), machine: %s\n  limits:\n", n,
                    n * warden::bench::kProcessesPerWorker,
                    warden::bench::describe(warden::bench::idle_state()).c_str());
        if (!warden::bench::print_limits(warden::bench::machine_limits(n))) {
            std::printf("  %d workers and more skipped: the limit above would be hit\n", n);
            break;
        }
        const auto size_started = Clock::now();
        {
            ScaleRun run(options, n);
            if (!run.start()) {
                std::printf("  %d workers and more skipped: the limit above would be hit\n", n);
                break;
            }
            run.raw_phase();
            run.add_all();
            run.at_rest();
            run.status_calls();
            run.kills();
            run.adoption();
            run.stop();
            rows.push_back(run.row());
        }  // every process of the run killed by pid (S6Sandbox)
        std::printf("  %d workers measured and cleaned up in %.0f s\n", n,
                    ms_since(size_started) / 1000);
        std::fflush(stdout);
    }
    if (rows.empty()) return 1;
    print_table(rows);
    write_data(options.data, rows);
    draw_chart(options.data, options.chart);
    std::printf("\nfigures in %s, chart %s; the whole run took %.0f s\n", options.data.c_str(),
                options.chart.c_str(), ms_since(started) / 1000);
    return rows.size() == options.sizes.size() ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "scale_bench: %s\n", e.what());
        return 1;
    }
}
