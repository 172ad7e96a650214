// tests/bench/benthos_bench.cpp — what watching Benthos pipelines costs the
// host, each figure beside a raw one measured in the same run. The two
// targets of the benthos worker:
//
//   one observation  the worker's own collect hook, in process: benthos.so
//                    loaded by the host's plugin loader, its service on a
//                    real s6-svscan; s6 status, then GET /ping, /ready and
//                    /metrics through the host's HTTP probe. Goal: under
//                    1 ms. Wall time (mean, p50, p99) and this thread's CPU
//                    time, back to back with the pipeline on this core and
//                    on the other, then with pauses as between observations.
//                    Raw: the same three GETs on a plain reused libcurl
//                    handle, the status read directly, one s6-svstat spawn
//                    for scale; and the parts of collect, to see where its
//                    time goes.
//   N in steady      the real `warden` binary with N benthos workers
//   state            (generate every 1 s, drop) and the default supervisor
//                    settings: host CPU (% of one core) and RSS over a
//                    window. Goal: under 5% for 100. Raw: s6-svscan, the
//                    s6-supervise and s6-log processes, and the pipelines
//                    themselves, over the same window.
//
// The Benthos stand-in (tests/fixtures/benthos_fixture) runs as the binary.
// Its ports come from 25000-31999: outside the host's automatic range, so a
// test run on the same machine reserving from 24000 does not collide, and
// below the kernel's ephemeral range. Run it with tests/bench/run-benthos-bench.
#include "benthos_config.hpp"
#include "benthos_observed.hpp"

#include <warden/kit/observed.hpp>

#include "app/host_paths.hpp"
#include "common/clock.hpp"
#include "net/http_probe.hpp"
#include "net/port_registry.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_status.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"
#include "supervisor/supervisor_settings.hpp"

#include "plugin_dir.hpp"
#include "proc_stats.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using namespace warden::host;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using warden::bench::processes_named;
using warden::bench::Usage;
using warden::bench::usage_of;

constexpr uint32_t kFirstPort = 25000;
constexpr uint32_t kLastPort = 31999;
constexpr int64_t kMsNs = 1'000'000;

// ---- timing ----------------------------------------------------------------

struct Spread {
    double mean = 0, p50 = 0, p99 = 0;  // wall time, microseconds
    double cpu = 0;                     // this thread's CPU time, mean, microseconds
};

struct Measure {
    std::string label;
    std::function<void()> call;
    std::string note = {};
};

double thread_cpu_us() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// Calls each of `group` in turn, `rounds` times, each call timed alone, after
// a few untimed rounds to open connections and warm caches. In turn, and in
// a new order each round, so that every figure of a group sees the same
// machine (two shared cores whose load drifts) and no call always follows
// the same one. A pause before each call (`gap`, give or take half) lets
// caches and idle cores cool, as between a host's observations; it varies so
// that the calls do not fall into step with the stand-in's keep-alive
// polling (cpp-httplib: a 10 ms select, then a 1 ms sleep), which adds up to
// a millisecond to a request that lands in the sleep.
std::vector<Spread> interleaved(int rounds, const std::vector<Measure> &group,
                                std::chrono::microseconds gap = 0us) {
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
            if (gap > 0us) std::this_thread::sleep_for(std::chrono::microseconds(pause(random)));
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

void row(const std::string &what, const Spread &s, const std::string &note = "") {
    std::printf("  %-48s %8.1f %8.1f %8.1f %8.1f   %s\n", what.c_str(), s.mean, s.p50, s.p99, s.cpu,
                note.c_str());
}

// Measures `group` and prints a row for each; returns the figures.
std::vector<Spread> rows(int rounds, const std::vector<Measure> &group,
                         std::chrono::microseconds gap = 0us) {
    const std::vector<Spread> figures = interleaved(rounds, group, gap);
    for (std::size_t k = 0; k < group.size(); ++k) row(group[k].label, figures[k], group[k].note);
    std::fflush(stdout);
    return figures;
}

// Ports a server could listen on now: bind (SO_REUSEADDR, as servers do) and close.
std::vector<uint32_t> free_ports(int count) {
    std::vector<uint32_t> out;
    for (uint32_t port = kFirstPort; port <= kLastPort && static_cast<int>(out.size()) < count;
         ++port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
            out.push_back(port);
        ::close(fd);
    }
    if (static_cast<int>(out.size()) < count)
        throw std::runtime_error("fewer than " + std::to_string(count) + " free ports in " +
                                 std::to_string(kFirstPort) + "-" + std::to_string(kLastPort));
    return out;
}

// ---- one observation, in process --------------------------------------------

// One benthos worker made by the plugin from its .so, its pipeline linted,
// deployed and live and ready; then its hooks are called from this thread.
class OneWorker {
public:
    OneWorker() {
        plugins_.add(paths::benthos_plugin);
        registry_.load_directory(plugins_.path());
        type_ = registry_.find_worker_type("benthos");
        if (type_ == nullptr) throw std::runtime_error("benthos.so was not loaded");
        const WorkerIdentity identity{"benthos", "probe", unix_ns()};
        const json config = {
            {"binary", paths::benthos_fixture},
            {"input", {{"generate", {{"mapping", "root = \"hello\""}, {"interval", "1s"}}}}},
            {"output", {{"drop", json::object()}}}};
        auto desired = type_->derive_desired(identity, config.dump());
        if (!desired) throw std::runtime_error("derive: " + desired.error().message);
        snapshot_.state = "starting";
        snapshot_.desired_json = desired.value();
        auto made = type_->create(identity, &gate_);
        if (!made) throw std::runtime_error("create: " + made.error().message);
        worker_ = std::move(made).value();
        snapshot_.observed_json = collect();  // reserves the port the plan needs
        for (const char *action : {"check", "deploy"})
            if (auto done = type_->execute(*worker_, action, snapshot_, cancel_); !done)
                throw std::runtime_error(std::string(action) + ": " + done.error().message);
        std::string observed;
        const bool ready = warden::test::wait_until(
            [&] {
                observed = collect();
                const json o = json::parse(observed, nullptr, false);
                return o.is_object() && o.value("ready", false);
            },
            30s);
        if (!ready) throw std::runtime_error("the pipeline is not live and ready: " + observed);
        snapshot_.state = "active";
        snapshot_.observed_json = observed;
        port_ = json::parse(observed)["extra"].value("http_port", 0u);
    }

    std::string collect() {
        auto observed = type_->collect(*worker_, snapshot_, cancel_);
        if (!observed) throw std::runtime_error("collect: " + observed.error().message);
        return std::move(observed).value();
    }
    void next() {
        if (auto decided = type_->next(*worker_, snapshot_); !decided)
            throw std::runtime_error("next: " + decided.error().message);
    }
    // The service slot as the plugin reaches it: scoped, audited.
    void gate_observe() {
        warden_host_ctx caller{"benthos/probe", "benthos", "probe", &gate_, &ports_};
        warden_service_status out{};
        out.struct_size = sizeof out;
        if (gate_.observe(caller, warden_str{service_.data(), service_.size()}, &out) != WARDEN_OK)
            throw std::runtime_error("the gate did not observe " + service_);
    }
    void client_observe() {
        if (!client_.observe(service_)) throw std::runtime_error("cannot observe " + service_);
    }
    void decode() {
        const auto bytes = read_status_file(sandbox_.scan_dir() / service_);
        if (!bytes || !bytes.value() || !decode_status(*bytes.value()))
            throw std::runtime_error("cannot read the status of " + service_);
    }

    uint32_t port() const { return port_; }
    pid_t pipeline_pid() {
        const auto status = client_.observe(service_);
        if (!status || !status->up) throw std::runtime_error("the pipeline is not running");
        return static_cast<pid_t>(status->pid);
    }
    fs::path service_dir() const { return sandbox_.scan_dir() / service_; }
    const WorkerSnapshot &snapshot() const { return snapshot_; }

private:
    warden::test::S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
    PortRegistry ports_{PortRange{kFirstPort, kLastPort}};
    ServiceGate gate_{client_, &ports_};
    warden::test::PluginDir plugins_;
    PluginRegistry registry_;
    const WorkerType *type_ = nullptr;
    std::unique_ptr<PluginWorker> worker_;
    WorkerSnapshot snapshot_;
    warden_cancel cancel_;
    uint32_t port_ = 0;
    const std::string service_ = "benthos-probe";
};

// The same three GETs the way a small program would make them: one libcurl
// handle, reused, keep-alive.
class RawCurl {
public:
    RawCurl() : curl_(curl_easy_init()) {
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        // One connection kept: a new one closes the old, as the host's
        // handle does once more ports rotate through it than it keeps.
        curl_easy_setopt(curl_, CURLOPT_MAXCONNECTS, 1L);
        curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &RawCurl::append);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
    }
    ~RawCurl() { curl_easy_cleanup(curl_); }
    RawCurl(const RawCurl &) = delete;
    RawCurl &operator=(const RawCurl &) = delete;

    const std::string &get(const std::string &url, bool new_connection = false) {
        body_.clear();
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl_, CURLOPT_FRESH_CONNECT, new_connection ? 1L : 0L);
        long code = 0;
        if (curl_easy_perform(curl_) != CURLE_OK ||
            curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
            throw std::runtime_error("GET " + url + " failed");
        return body_;
    }

private:
    static size_t append(char *data, size_t size, size_t count, void *body) {
        static_cast<std::string *>(body)->append(data, size * count);
        return size * count;
    }
    CURL *curl_;
    std::string body_;
};

void run_one_observation(int calls) {
    spdlog::set_level(spdlog::level::warn);  // the loader's "loaded" line is not a figure
    OneWorker worker;
    const std::string base = "http://127.0.0.1:" + std::to_string(worker.port());
    std::string body;
    const auto probe = [&](std::string_view path) {
        HttpRequest request;
        request.port = worker.port();
        request.path = path;
        request.timeout = 500ms;
        if (auto answer = http_probe(request, body); !answer)
            throw std::runtime_error(answer.error().message);
    };
    const auto host_probes = [&] {
        probe("/ping");
        probe("/ready");
        probe("/metrics");
    };
    RawCurl curl, renewing;  // a handle each: the second one's connection never ages
    const auto raw_gets = [&](RawCurl &handle, bool new_connection) {
        handle.get(base + "/ping", new_connection);
        handle.get(base + "/ready");
        handle.get(base + "/metrics");
    };
    const Measure collect{"collect: s6 status + /ping /ready /metrics", [&] { worker.collect(); },
                          "goal: under 1000 us"};
    const Measure gate{"  service observe slot (gate, S6Client, audit)",
                       [&] { worker.gate_observe(); }};
    const Measure probes{"  http_probe x3 (the slot's libcurl handle)", host_probes};
    const Measure raw{"raw: libcurl, one reused handle, 3 GETs", [&] { raw_gets(curl, false); }};
    const Measure raw_new{"raw: the same, the first GET on a new connection",
                          [&] { raw_gets(renewing, true); }};

    std::printf(
        "one benthos worker, in process: benthos.so through the plugin loader, "
        "its pipeline on 127.0.0.1:%u\n",
        worker.port());
    std::printf("  %-48s %8s %8s %8s %8s\n", "microseconds", "mean", "p50", "p99", "CPU");
    // A loopback round trip costs about three times more when the peer's
    // thread runs on the other core (a wake-up across cores, dear in a VM)
    // than on this one, and the scheduler's choice sticks to a connection
    // for a while: back to back, each placement is measured pinned.
    const std::vector<Measure> hot = {
        collect,
        gate,
        probes,
        {"next: the decision on that observation", [&] { worker.next(); }},
        raw,
        raw_new,
        {"raw: S6Client::observe (lock, status, tally)", [&] { worker.client_observe(); }},
        {"raw: read + decode supervise/status", [&] { worker.decode(); }}};
    const pid_t pipeline = worker.pipeline_pid();
    const bool two_cores = ::sysconf(_SC_NPROCESSORS_ONLN) >= 2;
    for (const int peer : two_cores ? std::vector<int>{0, 1} : std::vector<int>{-1}) {
        warden::bench::pin_to_cpu(0, peer < 0 ? -1 : 0);
        warden::bench::pin_to_cpu(pipeline, peer);
        std::printf(" back to back, %d rounds, %s\n", calls,
                    peer < 0    ? "one core"
                    : peer == 0 ? "this thread and the pipeline's on core 0"
                                : "this thread on core 0, the pipeline's on core 1");
        const std::vector<Spread> f = rows(calls, hot);
        std::printf("  %-48s %8.1f %26.1f   the plugin's work, the ABI crossings\n",
                    "  collect - (observe + 3 probes), mean", f[0].mean - f[1].mean - f[2].mean,
                    f[0].cpu - f[1].cpu - f[2].cpu);
    }
    warden::bench::pin_to_cpu(0, -1);
    warden::bench::pin_to_cpu(pipeline, -1);

    std::printf(
        " a pause of 5 to 15 ms before each call (caches and cores cool, as between "
        "observations), %d rounds, on any core\n",
        calls / 10);
    rows(calls / 10, {collect, probes, raw, raw_new}, 10ms);

    std::printf(" the plugin's parsing (its sources compiled into this benchmark)\n");
    const std::string observed = worker.collect();
    probe("/metrics");
    const std::string metrics = body;
    const std::string &desired = worker.snapshot().desired_json;
    const auto document = warden::kit::Observed::from_json(observed);
    rows(calls,
         {{"BenthosConfig::from_json (the desired state)",
           [&] { (void)benthos_plugin::BenthosConfig::from_json(desired); }},
          {"kit::Counters::sum_of (the /metrics body)",
           [&] { (void)warden::kit::Counters::sum_of(metrics, benthos_plugin::kCounterNames); },
           std::to_string(metrics.size()) + " bytes"},
          {"kit::Observed::to_json", [&] { (void)document.to_json(); },
           std::to_string(observed.size()) + " bytes"},
          {"kit::Observed::from_json (each next reads it)",
           [&] { (void)warden::kit::Observed::from_json(observed); }},
          {"host: json::accept of the observed document", [&] { (void)json::accept(observed); }}});

    std::printf(" for scale\n");
    const std::string dir = worker.service_dir().string();
    rows(std::max(calls / 20, 10),
         {{"raw: s6-svstat (one process spawn)",
           [&] {
               warden::bench::spawn_and_wait("/usr/bin/s6-svstat", {"s6-svstat", dir});
           },
           "CPU: the spawning thread's only"}});
}

// ---- N workers in steady state, the real host ---------------------------------

class ManyWorkers {
public:
    explicit ManyWorkers(int workers) {
        plugins_.add(paths::benthos_plugin);
        fs::create_directories(sandbox_.scan_dir());
        const std::vector<uint32_t> ports = free_ports(workers);
        std::string text = "scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
                           plugins_.path().string() + "]\nworkers:\n";
        for (int i = 0; i < workers; ++i)
            text += "  - type: benthos\n    name: b" + std::to_string(i) +
                    "\n    config:\n      binary: " + paths::benthos_fixture +
                    "\n      http_port: " + std::to_string(ports[static_cast<std::size_t>(i)]) +
                    "\n      input: { generate: { mapping: 'root = \"hello\"', interval: 1s } }"
                    "\n      output: { drop: {} }\n";
        std::ofstream(config_) << text;
    }

    void start() {
        host_ = std::make_unique<warden::test::BackgroundProcess>(
            std::vector<std::string>{paths::warden_binary, "--config", config_.string(),
                                     "--log-dir", sandbox_.log_root().string()},
            sandbox_.root() / "host.out", sandbox_.root() / "host.err");
    }
    void stop() {
        host_->signal(SIGTERM);
        host_->wait(60s);
    }
    pid_t host_pid() const { return host_->pid(); }
    std::string host_log() const { return host_->err(); }

    // Every worker in the host's report; none while the host is not listening.
    std::vector<WorkerReport> report() const {
        const auto text = request_status(status_socket_path(sandbox_.scan_dir()), 5000ms);
        HostReport host;
        std::vector<WorkerReport> workers;
        if (!text || !decode_report(text.value(), host, workers)) return {};
        return workers;
    }
    std::vector<pid_t> named(const std::string &comm) const {
        return processes_named(comm, sandbox_.root());
    }

private:
    warden::test::S6Sandbox sandbox_{/*start_svscan=*/false};
    warden::test::PluginDir plugins_;
    fs::path config_ = sandbox_.root() / "warden.yaml";
    std::unique_ptr<warden::test::BackgroundProcess> host_;
};

// "98 active, 2 idle"; `running` gets how many are idle or active.
std::string describe(const std::vector<WorkerReport> &workers, int *running = nullptr) {
    std::map<std::string, int> states;
    for (const WorkerReport &w : workers) ++states[w.worker.state];
    if (running != nullptr) *running = 0;
    for (const auto &[state, n] : states)
        if (running != nullptr && (state == "idle" || state == "active")) *running += n;
    std::string text;
    for (const auto &[state, n] : states)
        text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + state;
    return text.empty() ? "no workers reported" : text;
}

void print_usage(const char *what, std::size_t processes, const Usage &before, const Usage &after,
                 double seconds, const char *note) {
    std::printf("  %-34s %4zu   CPU %6.2f%% of one core   PSS %7.1f MiB   %s\n", what, processes,
                100.0 * (after.cpu_seconds - before.cpu_seconds) / seconds,
                static_cast<double>(after.pss_kib) / 1024.0, note);
}

void run_steady_state(int workers, int seconds) {
    const SupervisorSettings d;
    std::printf(
        "\n%d benthos workers under the warden binary (generate every 1 s, drop), "
        "default supervisor settings:\n  tick %lld ms, observation %lld ms, settled %lld ms, "
        "collect timeout %lld ms, stale after %lld ms\n",
        workers, static_cast<long long>(d.tick.count()),
        static_cast<long long>(d.observation_interval.count()),
        static_cast<long long>(d.idle_observation_interval.count()),
        static_cast<long long>(d.collect_timeout.count()),
        static_cast<long long>(d.stale_after.count()));
    std::fflush(stdout);
    ManyWorkers run(workers);
    const auto started = Clock::now();
    run.start();
    int running = 0;
    std::string states = describe(run.report(), &running);
    while (running < workers) {
        if (Clock::now() - started > 300s)
            throw std::runtime_error("not every worker reached idle or active in 300 s: " + states +
                                     "\n" + run.host_log());
        std::this_thread::sleep_for(200ms);
        states = describe(run.report(), &running);
    }
    std::printf("  config loaded -> all %d idle or active in %.1f s (%s)\n", workers,
                std::chrono::duration<double>(Clock::now() - started).count(), states.c_str());
    std::fflush(stdout);
    // Settled workers are observed at the slower interval once they have
    // held their state that long; give every one time to get there.
    std::this_thread::sleep_for(d.idle_observation_interval * 3);

    const pid_t host = run.host_pid();
    std::vector<pid_t> s6 = run.named("s6-svscan");
    for (pid_t p : run.named("s6-supervise")) s6.push_back(p);
    const std::vector<pid_t> logs = run.named("s6-log");
    const std::vector<pid_t> pipelines = run.named("benthos_fixture");
    const Usage host_before = usage_of(host), s6_before = usage_of(s6),
                logs_before = usage_of(logs), pipelines_before = usage_of(pipelines);
    const auto window = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    const double span = std::chrono::duration<double>(Clock::now() - window).count();
    const Usage host_after = usage_of(host), s6_after = usage_of(s6), logs_after = usage_of(logs),
                pipelines_after = usage_of(pipelines);
    const double host_cpu = host_after.cpu_seconds - host_before.cpu_seconds;

    std::printf("  %.0f s window, after %lld s to settle:\n", span,
                static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(
                                           d.idle_observation_interval * 3)
                                           .count()));
    std::printf(
        "  %-34s %4d   CPU %6.2f%% of one core   RSS %7.1f MiB (PSS %.1f)   "
        "goal: under 5%%\n",
        "warden host", 1, 100.0 * host_cpu / span, static_cast<double>(host_after.rss_kib) / 1024.0,
        static_cast<double>(host_after.pss_kib) / 1024.0);
    std::printf("  %-34s        %ld threads, %d TCP connections open\n", "", host_after.threads,
                warden::bench::tcp_connections_of(host));
    print_usage("raw: s6-svscan + s6-supervise", s6.size(), s6_before, s6_after, span,
                "(a service and its log each have one)");
    print_usage("raw: s6-log", logs.size(), logs_before, logs_after, span, "");
    print_usage("the pipelines (benthos_fixture)", pipelines.size(), pipelines_before,
                pipelines_after, span, "");
    std::fflush(stdout);

    // How often the host observed, read from its report after the window so
    // the asking does not count in the figures above. The report gives the
    // time of an observation in unix time converted from the monotonic
    // clock, anew each time: it moves a little between two reports of the
    // same observation, and by seconds between two observations.
    std::map<std::string, int64_t> last_seen;
    long observations = 0;
    const auto sampling = Clock::now();
    const auto sample_for = std::chrono::seconds(std::min(seconds, 20));
    while (Clock::now() - sampling < sample_for) {
        for (const WorkerReport &w : run.report()) {
            int64_t &seen = last_seen[w.worker.label()];
            if (seen != 0 && std::abs(w.worker.observed_at - seen) > 100 * kMsNs) ++observations;
            seen = w.worker.observed_at;
        }
        std::this_thread::sleep_for(250ms);
    }
    const double rate = static_cast<double>(observations) /
                        std::chrono::duration<double>(Clock::now() - sampling).count();
    std::printf(
        "  observations: %.1f a second (each worker every %.1f s); host CPU per "
        "observation, all host work included: %.0f us\n",
        rate, rate > 0 ? workers / rate : 0.0, rate > 0 ? 1e6 * host_cpu / span / rate : 0.0);
    std::printf("  after the window: %s\n", describe(run.report()).c_str());
    std::fflush(stdout);
    run.stop();
}

}  // namespace

int main(int argc, char **argv) {
    const int workers = argc > 1 ? std::atoi(argv[1]) : 100;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    const int calls = argc > 3 ? std::atoi(argv[3]) : 2000;
    if (workers < 1 || seconds < 1 || calls < 20) {
        std::fprintf(stderr,
                     "usage: benthos_bench [WORKERS (100)] [SECONDS (30)] [CALLS (2000)]\n");
        return 2;
    }
    try {
        init_http_probe();
        run_one_observation(calls);
        run_steady_state(workers, seconds);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "benthos_bench: %s\n", e.what());
        return 1;
    }
}
