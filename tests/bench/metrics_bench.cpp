// SPDX-License-Identifier: Apache-2.0
// tests/bench/metrics_bench.cpp — what the host's Prometheus endpoint costs
// with N idle exec workers (default 1000) under the real `warden` binary
// and its embedded s6-svscan:
//
// - one scrape (GET /metrics, the whole answer read), back to back, beside
//   the floor every scrape pays in the same run: reading each service's s6
//   status from the scan dir in process (what `warden --status` reads too);
// - the host's CPU at rest over windows of W seconds (default 60): with no
//   endpoint, with the endpoint but no scrape, and scraped every 15 s as a
//   Prometheus server would; the windows alternate twice, so a drift of the
//   machine shows as a spread rather than as a difference.
//
// Arguments: N, W. Run through tests/bench/run-metrics-bench, as root.
#include "loopback.hpp"
#include "plugin_dir.hpp"
#include "proc_stats.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "steady_state.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include "s6/service_status.hpp"

#include <httplib.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using Clock = std::chrono::steady_clock;
using warden::bench::usage_of;
using warden::test::BackgroundProcess;
using warden::test::occurrences;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

double mean(const std::vector<double> &v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

class Bench {
public:
    explicit Bench(int workers) : workers_(workers) {
        plugins_.add(paths::exec_plugin);
        fs::create_directories(sandbox_.scan_dir());
    }

    // The host on N workers, the endpoint on or off; waits until every
    // worker runs (adopted ones too).
    void start_host(bool endpoint) {
        std::string text = "scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
                           plugins_.path().string() + "]\n";
        if (endpoint) text += "metrics: {listen: '127.0.0.1:" + std::to_string(port_) + "'}\n";
        text += "workers:\n";
        for (int i = 0; i < workers_; ++i)
            text += "  - {type: exec, name: idle" + std::to_string(i) +
                    ", config: {command: /bin/sleep, args: ['3600']}}\n";
        std::ofstream(config_) << text;
        const std::string run = "host-" + std::to_string(++runs_);
        host_ = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{paths::warden_binary, "--config", config_.string(),
                                     "--log-dir", sandbox_.log_root().string()},
            sandbox_.root() / (run + ".out"), sandbox_.root() / (run + ".err"));
        if (!warden::test::wait_until(
                [&] {
                    return occurrences(host_->err(), "-> running") >= workers_ ||
                           !warden::test::process_alive(host_->pid());
                },
                std::chrono::seconds(600)) ||
            occurrences(host_->err(), "-> running") < workers_)
            throw std::runtime_error("the workers did not all run:\n" + host_->err());
        // Settled: every worker observed at the slow interval.
        warden::bench::wait_until_settled(sandbox_.scan_dir(), workers_);
    }

    void stop_host() {
        host_->signal(SIGTERM);
        host_->wait(std::chrono::seconds(60));
        host_.reset();
    }

    // One scrape: ms, and the answer's size.
    std::pair<double, std::size_t> scrape() const {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(10);
        const auto start = Clock::now();
        auto answer = client.Get("/metrics");
        const double took = ms_since(start);
        if (!answer || answer->status != 200) throw std::runtime_error("the scrape failed");
        return {took, answer->body.size()};
    }

    // The floor: every worker's service status read from the scan dir.
    double read_every_status() const {
        const auto start = Clock::now();
        int up = 0;
        for (int i = 0; i < workers_; ++i) {
            const auto status = warden::host::current_status(sandbox_.scan_dir() /
                                                             ("exec-idle" + std::to_string(i)));
            up += status && status->up();
        }
        if (up != workers_) throw std::runtime_error("not every service is up");
        return ms_since(start);
    }

    // The host's CPU (% of one core) over `seconds`, scraped every
    // `scrape_every` seconds (0: never).
    double cpu_over(int seconds, int scrape_every) const {
        const pid_t pid = host_->pid();
        const double before = usage_of(pid).cpu_seconds;
        const auto start = Clock::now();
        const auto end = start + std::chrono::seconds(seconds);
        auto next_scrape = start;
        while (Clock::now() < end) {
            if (scrape_every > 0 && Clock::now() >= next_scrape) {
                (void)scrape();
                next_scrape += std::chrono::seconds(scrape_every);
            }
            std::this_thread::sleep_until(std::min(end, scrape_every > 0 ? next_scrape : end));
        }
        return 100.0 * (usage_of(pid).cpu_seconds - before) / (ms_since(start) / 1000.0);
    }

    double rss_mib() const { return static_cast<double>(usage_of(host_->pid()).rss_kib) / 1024.0; }

private:
    const int workers_;
    warden::test::S6Sandbox sandbox_{/*start_svscan=*/false};
    warden::test::PluginDir plugins_;
    fs::path config_ = sandbox_.root() / "warden.yaml";
    uint16_t port_ = warden::test::free_port();
    std::unique_ptr<BackgroundProcess> host_;
    int runs_ = 0;
};

int run(int workers, int window) {
    Bench bench(workers);
    std::printf(
        "warden host, embedded s6-svscan, %d idle exec workers, default supervisor clocks\n",
        workers);
    bench.start_host(/*endpoint=*/true);

    std::vector<double> took, floor;
    std::size_t bytes = 0;
    (void)bench.scrape();  // the first connection and allocations
    for (int i = 0; i < 50; ++i) {
        const auto [ms, size] = bench.scrape();
        took.push_back(ms);
        bytes = size;
        floor.push_back(bench.read_every_status());
    }
    std::printf("\none scrape of %d workers (%zu KiB), 50 back to back:\n", workers, bytes / 1024);
    std::printf(
        "  GET /metrics                 mean %6.2f ms  p50 %6.2f ms  p99 %6.2f ms   "
        "goal: under 20 ms\n",
        mean(took), percentile(took, 0.5), percentile(took, 0.99));
    std::printf("  raw s6: %d status files read mean %6.2f ms  p50 %6.2f ms  (%.1fx)\n", workers,
                mean(floor), percentile(floor, 0.5), mean(took) / mean(floor));
    std::fflush(stdout);

    std::printf("\nhost CPU at rest, %d s windows, alternating:\n", window);
    std::vector<double> off, on, scraped;
    for (int round = 0; round < 2; ++round) {
        on.push_back(bench.cpu_over(window, 0));
        scraped.push_back(bench.cpu_over(window, 15));
        const double rss = bench.rss_mib();
        bench.stop_host();
        bench.start_host(/*endpoint=*/false);
        off.push_back(bench.cpu_over(window, 0));
        std::printf(
            "  round %d: no endpoint %5.2f%%   endpoint, no scrape %5.2f%%   "
            "scraped every 15 s %5.2f%%   (RSS with the endpoint %.1f MiB, without "
            "%.1f MiB)\n",
            round + 1, off.back(), on.back(), scraped.back(), rss, bench.rss_mib());
        std::fflush(stdout);
        bench.stop_host();
        if (round == 0) bench.start_host(/*endpoint=*/true);
    }
    std::printf(
        "  mean: no endpoint %5.2f%%   endpoint, no scrape %5.2f%%   scraped %5.2f%%   "
        "scraped - no endpoint: %+.2f points   goal: within 0.2 points\n",
        mean(off), mean(on), mean(scraped), mean(scraped) - mean(off));
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    const int workers = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int window = argc > 2 ? std::atoi(argv[2]) : 60;
    try {
        return run(workers, window);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "metrics_bench: %s\n", e.what());
        return 1;
    }
}
