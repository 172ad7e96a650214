// SPDX-License-Identifier: Apache-2.0
// host/app/run_host.cpp
#include "app/run_host.hpp"

#include "app/host_lock.hpp"
#include "app/host_paths.hpp"
#include "app/host_trust.hpp"
#include "app/logging.hpp"
#include "app/orphans.hpp"
#include "app/service_manager.hpp"
#include "app/signals.hpp"
#include "app/svscan_keeper.hpp"
#include "app/version.hpp"
#include "common/clock.hpp"
#include "config/config_watch.hpp"
#include "config/host_config.hpp"
#include "metrics/host_metrics.hpp"
#include "metrics/metrics_endpoint.hpp"
#include "metrics/plugin_figures.hpp"
#include "net/port_registry.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/file_ops.hpp"
#include "s6/instance_record.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_watch.hpp"
#include "status/gather_reports.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"
#include "supervisor/supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <variant>

namespace warden::host {
namespace {

using Clock = std::chrono::steady_clock;

// How long the config file must be quiet after it was written in place
// before it is read: a tool that truncates it and writes it again, or
// writes it in a few goes, makes one reload of the whole file. A file
// renamed over it is complete: read at once.
constexpr std::chrono::milliseconds kSettle{1000};

// The service manager hears "ready" once every worker has observed what
// runs, or after this long with the workers still to report named; while
// it waits, the host looks this often.
constexpr std::chrono::seconds kReadyBudget{30};
constexpr std::chrono::milliseconds kReadyLook{100};

std::vector<WorkerSpec> specs_of(const HostConfig &config, const PluginRegistry &plugins) {
    std::vector<WorkerSpec> specs;
    for (const WorkerConfig &w : config.workers)
        specs.push_back(
            WorkerSpec{plugins.find_worker_type(w.type), w.name, w.desired_state, w.desired_json});
    return specs;
}

// Logs every problem, then what follows from them.
void log_problems(const std::filesystem::path &file, const std::vector<ConfigProblem> &problems,
                  const char *consequence) {
    for (const ConfigProblem &problem : problems) spdlog::error("{}", describe(file, problem));
    spdlog::error("config {} refused ({} {}); {}", file.string(), problems.size(),
                  problems.size() == 1 ? "problem" : "problems", consequence);
}

std::string signal_name(int signal) {
    switch (signal) {
        case SIGTERM: return "SIGTERM";
        case SIGINT: return "SIGINT";
        case SIGHUP: return "SIGHUP";
        default: return "signal " + std::to_string(signal);
    }
}

// Exits without running destructors: a hook that will not return holds a
// pool thread the supervisor's destructor would wait for.
[[noreturn]] void exit_now(int status) {
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    std::_Exit(status);
}

class Host {
public:
    Host(const Options &options, const Settings &settings)
        : options_(options), settings_(settings) {}
    int run(std::string config_text);

private:
    bool start(std::string config_text);
    int serve();
    bool prepare_scan_dir();
    void tidy_scan_dir(const HostConfig &config);
    void tidy_instance_records(const HostConfig &config);
    void release_ports_of_absent_workers();
    void reload(const char *why);
    enum class Reread { applied, unchanged, refused, postponed };
    Reread reread(const char *why);
    void listen_for_metrics(const std::optional<ListenAddress> &wanted);
    int exit(int signal);
    std::string report(bool brief);
    std::vector<std::string> unobserved() const;
    void tell_manager(Clock::time_point now);
    std::optional<Clock::time_point> manager_due() const;
    std::string running() const;

    const Options &options_;
    Settings settings_;
    std::filesystem::path file_;
    std::string text_;
    HostConfig config_;
    std::optional<SignalReader> signals_;
    std::optional<HostLock> lock_;
    std::optional<SvscanKeeper> svscan_;
    ServiceManager manager_;
    std::optional<Clock::time_point> ready_by_;  ///< set until the manager heard "ready"
    Clock::time_point next_keep_alive_{};
    PluginRegistry registry_;
    std::unique_ptr<S6Client> client_;
    std::unique_ptr<PortRegistry> ports_;
    PluginFigures figures_;  ///< what workers publish (figure_publish), for the metrics endpoint
    std::unique_ptr<ServiceGate> gate_;
    std::shared_ptr<HostMetrics> metrics_;  // before the supervisor, which reports to it
    std::unique_ptr<Supervisor> supervisor_;
    std::unique_ptr<ServiceWatch> service_watch_;
    std::unique_ptr<StatusServer> status_server_;
    std::unique_ptr<ConfigWatch> config_watch_;
    std::mutex report_mutex_;
    HostReport host_report_;
    std::unique_ptr<MetricsEndpoint> metrics_endpoint_;  // last: its scrapes read the above
};

bool Host::prepare_scan_dir() {
    if (settings_.create_scan_dir)
        if (Result<void> made = make_directories(settings_.scan_dir, 0755); !made) {
            spdlog::error("{}; host not started", made.error().message);
            return false;
        }
    // The state dir is open to the host's group, for `warden --status`
    // (its socket is too); earlier hosts made it 0700.
    const std::filesystem::path state_dir = warden_state_dir(settings_.scan_dir);
    for (const auto &[dir, mode] : {std::pair{settings_.log_dir, 0755}, std::pair{state_dir, 0750}})
        if (Result<void> made = make_directories(dir, static_cast<mode_t>(mode)); !made) {
            spdlog::error("{}; host not started", made.error().message);
            return false;
        }
    struct stat st {};
    if (::stat(state_dir.c_str(), &st) == 0 && (st.st_mode & 07777) == 0700)
        ::chmod(state_dir.c_str(), 0750);
    for (const Result<void> &trusted :
         {check_host_scan_dir(settings_.scan_dir), check_host_log_dir(settings_.log_dir)})
        if (!trusted) {
            spdlog::error("{}; host not started", trusted.error().message);
            return false;
        }
    auto lock = HostLock::take(warden_state_dir(settings_.scan_dir));
    if (!lock) {
        spdlog::error("{}; host not started", lock.error().message);
        return false;
    }
    lock_.emplace(std::move(lock).value());
    svscan_.emplace(settings_.scan_dir, svscan_log_dir(settings_.log_dir), S6Paths{},
                    options_.external_svscan ? SvscanKeeper::Owner::service_manager
                                             : SvscanKeeper::Owner::host);
    if (Result<void> svscan = svscan_->ensure(); !svscan) {
        spdlog::error("{}; host not started", svscan.error().message);
        return false;
    }
    return true;
}

// What an earlier host left: half-done removals and creates (finished), and
// services no worker claims (reported, or removed when asked).
void Host::tidy_scan_dir(const HostConfig &config) {
    auto swept = client_->sweep_leftovers();
    if (!swept)
        spdlog::warn("{}; left as it is", swept.error().message);
    else
        for (const std::string &name : swept.value())
            spdlog::info("service {}: finished what an earlier host left half done", name);

    std::vector<std::pair<std::string, std::string>> workers;
    for (const WorkerConfig &w : config.workers) workers.emplace_back(w.type, w.name);
    // Directories Warden did not make are never touched: each that a
    // worker type's prefix would claim is named once.
    auto foreign = client_->list_foreign("");
    if (foreign)
        for (const std::string &name : foreign.value())
            for (const std::string &type : registry_.offered_worker_types())
                if (name.compare(0, type.size() + 1, type + "-") == 0) {
                    spdlog::warn(
                        "{} in {} was not made by warden (it has no .warden-manifest); left "
                        "alone, whatever the flags, and no worker may use its name",
                        name, settings_.scan_dir.string());
                    break;
                }
    tidy_instance_records(config);
    auto services = client_->list("");
    if (!services) {
        spdlog::warn("{}; orphaned services not looked for", services.error().message);
        return;
    }
    for (const std::string &orphan :
         find_orphans(services.value(), registry_.offered_worker_types(), workers)) {
        if (!options_.remove_orphans) {
            spdlog::warn(
                "service {} in {} is claimed by no worker in {}; left alone "
                "(--remove-orphans removes it)",
                orphan, settings_.scan_dir.string(), file_.string());
            continue;
        }
        if (Result<void> removed = client_->remove(orphan); !removed)
            spdlog::error("orphaned service {} not removed: {}", orphan, removed.error().message);
        else
            spdlog::info("removed orphaned service {} (claimed by no worker in {})", orphan,
                         file_.string());
    }
}

// Records of instances whose service directory is gone (deleted by hand,
// or removed while its process survived). A process a record still names
// runs unsupervised: if a worker that wants it running makes the service
// again, warden-guard ends it first; one whose worker wants it stopped is
// ended now; an orphan's (see orphans.hpp) is named, or ended with
// --remove-orphans. A record of a process that has ended goes.
void Host::tidy_instance_records(const HostConfig &config) {
    std::vector<std::pair<std::string, std::string>> workers, running_workers;
    for (const WorkerConfig &w : config.workers) {
        workers.emplace_back(w.type, w.name);
        if (w.desired_state == WARDEN_DESIRED_RUNNING) running_workers.emplace_back(w.type, w.name);
    }
    std::error_code ec;
    for (const auto &entry :
         std::filesystem::directory_iterator(instance_record_dir(settings_.scan_dir), ec)) {
        const std::string file = entry.path().filename().string();
        const std::string service = file.substr(0, file.find('.'));
        if (!valid_service_name(service) || std::filesystem::exists(client_->service_dir(service)))
            continue;
        const std::optional<InstanceRecord> record = read_instance_record(entry.path());
        if (record && record->boot_id == boot_id() && still_running(record->process)) {
            const std::string process = "process " + std::to_string(record->process.pid) +
                                        " of service " + service +
                                        " runs without its service directory";
            if (claimed_by_worker(service, running_workers)) {
                spdlog::warn("{}; it is ended before the service starts again", process);
                continue;
            }
            const bool claimed = claimed_by_worker(service, workers);
            const bool orphan =
                !claimed &&
                !find_orphans({service}, registry_.offered_worker_types(), workers).empty();
            if (!claimed && !(orphan && options_.remove_orphans)) {
                spdlog::warn("{} and no worker claims it; left alone{}", process,
                             orphan ? " (--remove-orphans ends it)" : "");
                continue;
            }
            end_recorded_instance(*record, ::getpid(), 0, SIGTERM, std::chrono::seconds(10));
            spdlog::info(
                "ended process {} of service {}, which ran without its service "
                "directory ({})",
                record->process.pid, service,
                claimed ? "its worker's desired state is stopped"
                        : "claimed by no worker in " + file_.string());
        }
        std::filesystem::remove(entry.path(), ec);
    }
}

std::string Host::report(bool brief) {
    HostReport host;
    {
        std::lock_guard<std::mutex> lock(report_mutex_);
        host = host_report_;
    }
    return encode_report(host, gather_reports(supervisor_->status(brief), *client_, *gate_));
}

// Workers removed from the file while no host ran release their ports now,
// as they would have when they retired. A worker whose type no loaded
// plugin offers keeps its ports: its plugin may be back next time.
void Host::release_ports_of_absent_workers() {
    std::set<std::pair<std::string, std::string>> present;
    for (const WorkerConfig &w : config_.workers) present.emplace(w.type, w.name);
    for (const PortReservation &r : ports_->reservations()) {
        if (present.count({r.type, r.name}) != 0 || registry_.find_worker_type(r.type) == nullptr)
            continue;
        present.emplace(r.type, r.name);  // released once, whatever its purposes
        auto released = ports_->release_worker(r.type, r.name);
        if (!released) {
            spdlog::warn("{}; its ports stay reserved", released.error().message);
            continue;
        }
        for (uint32_t port : released.value())
            spdlog::info("worker {}/{} is not in the config: released port {}", r.type, r.name,
                         port);
    }
}

int Host::run(std::string config_text) {
    if (!start(std::move(config_text))) return 1;
    return serve();
}

// Everything up to the workers handed to the supervisor; false: not started.
bool Host::start(std::string config_text) {
    auto signals = SignalReader::open();  // first: every thread started later inherits the mask
    if (!signals) {
        spdlog::error("{}; host not started", signals.error().message);
        return false;
    }
    signals_.emplace(std::move(signals).value());
    file_ = std::filesystem::absolute(*options_.config_file);
    if (!prepare_scan_dir()) return false;
    for (const auto &dir : plugin_dirs_to_load(settings_)) registry_.load_directory(dir);
    auto loaded = load_config(config_text, registry_);
    if (auto *problems = std::get_if<std::vector<ConfigProblem>>(&loaded)) {
        log_problems(file_, *problems, "host not started");
        return false;
    }
    config_ = std::get<HostConfig>(std::move(loaded));
    text_ = std::move(config_text);

    client_ =
        std::make_unique<S6Client>(S6Options{settings_.scan_dir, settings_.log_dir, S6Paths{}});
    tidy_scan_dir(config_);
    auto ports = PortRegistry::open(port_registry_path(settings_.scan_dir));
    if (!ports) {
        spdlog::error("{}; host not started", ports.error().message);
        return false;
    }
    ports_ = std::move(ports).value();
    release_ports_of_absent_workers();
    // Who services run as: this host, with the file's service_user for
    // those without a user of their own [WP-SVC-3].
    set_service_accounts(this_host_account(settings_.service_user));
    gate_ = std::make_unique<ServiceGate>(*client_, ports_.get(), &figures_);
    const int64_t started = unix_ns();
    metrics_ = std::make_shared<HostMetrics>(WARDEN_VERSION, started, &figures_);
    std::vector<LoadedPluginInfo> plugins;
    for (const PluginRecord &record : registry_.records())
        if (record.plugin != nullptr)
            plugins.push_back(LoadedPluginInfo{record.plugin->info().name,
                                               record.plugin->info().version,
                                               record.plugin->info().abi_version, record.file});
    metrics_->set_plugins(std::move(plugins));
    metrics_->config_loaded(true, started);
    supervisor_ = std::make_unique<Supervisor>(*gate_, config_.supervisor, metrics_.get());
    metrics_->set_source(
        [this] { return last_observed_reports(supervisor_->status(/*brief=*/true), *gate_); });
    // The client's status cache hears of each change before the supervisor
    // does: the collect a change leads to reads s6 again.
    auto watch = ServiceWatch::start(
        settings_.scan_dir,
        [supervisor = supervisor_.get()](const std::string &service) {
            supervisor->service_changed(service);
        },
        &client_->status_cache());
    if (watch)
        service_watch_ = std::move(watch).value();
    else
        spdlog::warn("{}; s6 changes are seen at the next observation", watch.error().message);
    host_report_ = HostReport{::getpid(), started, file_.string(), started};
    auto server = StatusServer::start(status_socket_path(settings_.scan_dir),
                                      [this](bool brief) { return report(brief); });
    if (server)
        status_server_ = std::move(server).value();
    else
        spdlog::warn("{}; warden --status will not reach this host", server.error().message);
    auto config_watch = ConfigWatch::start(file_, kSettle);
    if (config_watch)
        config_watch_ = std::move(config_watch).value();
    else
        spdlog::warn("{}; reload with SIGHUP", config_watch.error().message);

    supervisor_->apply(specs_of(config_, registry_));
    listen_for_metrics(config_.metrics_listen);
    spdlog::info("{} running {} workers from {} on scan dir {} (pid {})", version_text(),
                 config_.workers.size(), file_.string(), settings_.scan_dir.string(), ::getpid());
    if (manager_.listening()) {
        ready_by_ = Clock::now() + kReadyBudget;
        manager_.status("adopting what runs: waiting for every worker's first observation");
    }
    return true;
}

// Workers whose first observation of what runs has neither come nor failed.
std::vector<std::string> Host::unobserved() const {
    std::set<std::string> waiting;
    for (const WorkerConfig &w : config_.workers) waiting.insert(w.label());
    for (const WorkerStatus &s : supervisor_->status())
        if (s.observed_at != 0 || !s.collect_error.empty() || !s.failure.empty())
            waiting.erase(s.label());
    return {waiting.begin(), waiting.end()};
}

// "ready" once every worker has observed what runs (or the budget is
// spent), then the watchdog's keep-alive. Taking the supervisor's status
// for it shows the supervisor answers, not just this loop.
void Host::tell_manager(Clock::time_point now) {
    if (ready_by_) {
        const std::vector<std::string> waiting = unobserved();
        if (!waiting.empty() && now < *ready_by_) return;
        std::string status = running();
        if (!waiting.empty()) {
            status += "; not yet observed after " + std::to_string(kReadyBudget.count()) +
                      " s: " + waiting.front();
            if (waiting.size() > 1)
                status += " and " + std::to_string(waiting.size() - 1) + " more";
            spdlog::warn("ready for the service manager with {} workers not yet observed",
                         waiting.size());
        }
        manager_.ready(status);
        ready_by_.reset();
        next_keep_alive_ = now;
    }
    if (auto every = manager_.keep_alive_every(); every && now >= next_keep_alive_) {
        (void)supervisor_->status();
        manager_.keep_alive();
        next_keep_alive_ = now + std::chrono::duration_cast<Clock::duration>(*every);
    }
}

std::string Host::running() const {
    return "running " + std::to_string(config_.workers.size()) + " workers";
}

// When tell_manager has something to do next: a look at the workers while
// the manager waits for "ready" (it arms the watchdog only then), else the
// next keep-alive.
std::optional<Clock::time_point> Host::manager_due() const {
    if (ready_by_) return Clock::now() + kReadyLook;
    if (manager_.keep_alive_every()) return next_keep_alive_;
    return std::nullopt;
}

// Signals, changes of the config file and the end of s6-svscan or its
// logger, until told to exit.
int Host::serve() {
    for (;;) {
        pollfd fds[4] = {{signals_->fd(), POLLIN, 0},
                         {config_watch_ ? config_watch_->fd() : -1, POLLIN, 0},
                         {svscan_->fds()[0], POLLIN, 0},
                         {svscan_->fds()[1], POLLIN, 0}};
        std::optional<Clock::time_point> next;
        for (const auto &due : {config_watch_ ? config_watch_->due() : std::nullopt,
                                svscan_->retry_at(), manager_due()})
            if (due && (!next || *due < *next)) next = due;
        int timeout = -1;
        if (next)
            timeout = static_cast<int>(std::max<int64_t>(
                0, std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count()));
        if (::poll(fds, 4, timeout) < 0 && errno != EINTR) {
            spdlog::error("poll: {}; exiting", std::strerror(errno));
            return exit(SIGTERM);
        }
        const auto now = Clock::now();
        while (auto signal = signals_->take()) {
            if (*signal != SIGHUP) return exit(*signal);
            if (config_watch_)
                config_watch_->request(now);
            else
                reload("SIGHUP");
        }
        if (config_watch_ && (fds[1].revents & POLLIN) && config_watch_->read_events(now))
            spdlog::debug("config {} changed; read {}", file_.string(),
                          config_watch_->settling()
                              ? "once it has not changed for " +
                                    std::to_string(config_watch_->settle().count()) + " ms"
                              : std::string("at once: a whole file was renamed into place"));
        svscan_->check(now);
        if (config_watch_ && config_watch_->take_due(now)) reload(config_watch_->cause());
        tell_manager(Clock::now());
    }
}

// The service manager sees the reload; whatever its outcome, the host runs
// on, ready again (unless it still adopts what runs).
void Host::reload(const char *why) {
    manager_.reloading(std::string("reloading ") + file_.string() + " (" + why + ")");
    const Reread outcome = reread(why);
    if (outcome != Reread::postponed) {
        const int64_t now = unix_ns();
        metrics_->config_loaded(outcome != Reread::refused, now);
        if (outcome == Reread::unchanged) {
            std::lock_guard<std::mutex> lock(report_mutex_);
            host_report_.config_loaded = now;
        }
        // An endpoint that could not listen is tried again at each reload
        // (an applied one has moved it where the new file says already).
        if (outcome != Reread::applied) listen_for_metrics(config_.metrics_listen);
    }
    if (!ready_by_) manager_.ready(running());
}

// Moves the metrics endpoint to `wanted`, closes it (nullopt), or leaves it.
// The new address is opened before the old one is closed, so a move that
// fails leaves the endpoint where it was; only when the new address clashes
// with the old (the same port, taken) is the old closed first, and opened
// again should the new one still fail.
void Host::listen_for_metrics(const std::optional<ListenAddress> &wanted) {
    if (metrics_endpoint_ && wanted && metrics_endpoint_->address() == *wanted) return;
    if (!wanted) {
        if (metrics_endpoint_)
            spdlog::info("metrics endpoint {} closed", metrics_endpoint_->address().text());
        metrics_endpoint_.reset();
        return;
    }
    auto started = MetricsEndpoint::start(*wanted, metrics_);
    if (!started && started.error().kind == ErrorKind::conflict && metrics_endpoint_ &&
        metrics_endpoint_->address().port == wanted->port) {
        const ListenAddress before = metrics_endpoint_->address();
        metrics_endpoint_.reset();
        started = MetricsEndpoint::start(*wanted, metrics_);
        if (!started) {
            auto again = MetricsEndpoint::start(before, metrics_);
            if (again) metrics_endpoint_ = std::move(again).value();
        }
    }
    if (!started) {
        spdlog::error("{}; {}", started.error().message,
                      metrics_endpoint_
                          ? "the endpoint stays on " + metrics_endpoint_->address().text()
                          : std::string("the host runs on without it and tries again at the "
                                        "next reload"));
        return;
    }
    metrics_endpoint_ = std::move(started).value();
    spdlog::info("metrics endpoint listening on http://{}/metrics",
                 metrics_endpoint_->address().text());
}

Host::Reread Host::reread(const char *why) {
    const auto stamp = [this] {
        struct stat st {};
        if (::stat(file_.c_str(), &st) != 0) return std::tuple<ino_t, off_t, int64_t, int64_t>{};
        return std::tuple<ino_t, off_t, int64_t, int64_t>{st.st_ino, st.st_size, st.st_mtim.tv_sec,
                                                          st.st_mtim.tv_nsec};
    };
    const auto read_at = stamp();
    auto text = read_host_config(file_);
    if (config_watch_ && stamp() != read_at) {
        // Written while it was read: what was read may be half of it.
        config_watch_->postpone(Clock::now());
        return Reread::postponed;
    }
    if (!text) {
        spdlog::error("config reload ({}) refused: {}; nothing changed", why, text.error().message);
        return Reread::refused;
    }
    if (text.value() == text_) {
        spdlog::info("config {} reloaded ({}): unchanged", file_.string(), why);
        return Reread::unchanged;
    }
    auto loaded = load_config(text.value(), registry_);
    if (auto *problems = std::get_if<std::vector<ConfigProblem>>(&loaded)) {
        log_problems(file_, *problems, "nothing changed");
        return Reread::refused;
    }
    HostConfig config = std::get<HostConfig>(std::move(loaded));
    const Settings next = resolve_settings(options_, &config);
    const auto later = [](const char *what) {
        spdlog::warn("{} changed: takes effect when the host restarts", what);
    };
    if (next.scan_dir != settings_.scan_dir) later("scan_dir");
    if (next.plugin_dirs != settings_.plugin_dirs) later("plugin_dirs");
    if (next.log_format != settings_.log_format) later("log_format");
    if (config.supervisor != config_.supervisor) later("supervisor");
    if (next.service_user != settings_.service_user) later("service_user");
    if (next.log_level != settings_.log_level) {
        set_up_logging(next.log_level, settings_.log_format);
        settings_.log_level = next.log_level;
    }
    settings_.stop_services_on_exit = next.stop_services_on_exit;

    std::map<std::string, const WorkerConfig *> before;
    for (const WorkerConfig &w : config_.workers) before[w.label()] = &w;
    int added = 0, changed = 0;
    for (const WorkerConfig &w : config.workers) {
        auto it = before.find(w.label());
        if (it == before.end()) {
            ++added;
            continue;
        }
        if (it->second->desired_state != w.desired_state ||
            it->second->desired_json != w.desired_json)
            ++changed;
        before.erase(it);
    }
    supervisor_->apply(specs_of(config, registry_));
    spdlog::info("config {} reloaded ({}): {} workers; {} added, {} removed, {} changed",
                 file_.string(), why, config.workers.size(), added, before.size(), changed);
    config.supervisor = config_.supervisor;  // what the supervisor runs with until a restart
    config_ = std::move(config);
    text_ = std::move(text).value();
    listen_for_metrics(config_.metrics_listen);
    std::lock_guard<std::mutex> lock(report_mutex_);
    host_report_.config_loaded = unix_ns();
    return Reread::applied;
}

int Host::exit(int signal) {
    const bool stop = settings_.stop_services_on_exit;
    manager_.stopping(stop ? "stopping every worker's services, then exiting"
                           : "exiting; services keep running");
    spdlog::info("{} received; {}", signal_name(signal),
                 stop ? "stopping every worker's services, then exiting (stop_services_on_exit)"
                      : "finishing actions in flight, then exiting; services keep running");
    supervisor_->begin_exit(stop);
    const auto deadline = Clock::now() + config_.supervisor.exit_budget;
    while (!supervisor_->wait_exit_ready(
        std::min(deadline, Clock::now() + std::chrono::milliseconds(50)))) {
        if (auto again = signals_->take(); again && *again != SIGHUP) {
            spdlog::warn("{} received again; exiting at once", signal_name(*again));
            exit_now(1);
        }
        if (Clock::now() >= deadline) {
            for (const std::string &blocker : supervisor_->exit_blockers())
                spdlog::error("exit budget spent: {}", blocker);
            spdlog::error("exiting without waiting further");
            exit_now(1);
        }
    }
    metrics_endpoint_.reset();
    status_server_.reset();
    service_watch_.reset();
    supervisor_.reset();
    spdlog::info("exited cleanly");
    return 0;
}

}  // namespace

int run_host(const Options &options, const Settings &settings, std::string config_text) {
    Host host(options, settings);
    return host.run(std::move(config_text));
}

}  // namespace warden::host
