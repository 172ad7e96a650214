// warden/testing/fake_host.hpp — a host for a plugin's own unit tests.
//
// FakeHost implements every slot of warden_host_services (ABI 1.2) in memory:
// logging (captured), errors, a clock the test moves, JSON and decision
// sinks, cancellation, the service operations and service logs on an
// in-memory s6 (FakeS6), an HTTP probe that answers from a table, port
// reservations (FakePorts) and commands answered by a handler the test sets
// (FakeCommands). To drive a worker through its hooks, see
// warden/testing/fake_worker.hpp.
//
// It keeps the host's rules where a plugin could trip over them: the same
// table check at load and decision check at next (warden/validation.hpp),
// per-thread error texts, the same service scope and name rules (for logs
// too), the same port reservation rules and conflict text, unknown commands,
// flags and methods refused. It is still a fake: no process runs, no port is
// bound and no file is written.
//
// Like Warden's host of this release it offers every slot;
// remove_service_slots() makes it a host without the service, HTTP, port,
// log and command slots.
//
// THREADING: a FakeHost is meant for one test thread; the services table it
// hands out is safe to call from any thread. The clock slots take no context:
// they read the most recently made FakeHost.
// OWNERSHIP: the FakeHost owns every context it makes; it must outlive the
// FakeWorkers made from it.
#ifndef WARDEN_TESTING_FAKE_HOST_HPP
#define WARDEN_TESTING_FAKE_HOST_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/testing/fake_commands.hpp>
#include <warden/testing/fake_ports.hpp>
#include <warden/testing/fake_s6.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

struct LogLine {
    Level level;
    std::string context;  ///< "plugin <name>" or "<type>/<name>"
    std::string message;
};

class FakeHost;

namespace fake_detail {

// What the fake host's opaque handles point to.
struct Context {
    FakeHost *host;
    std::string label;
    std::string type;  // empty for the plugin's own context
    std::string name;
    // A config check's context: its reservations go here and are not kept.
    std::unique_ptr<FakePorts> check_ports;
};
struct JsonSink {
    std::string text;
};
struct DecisionSink {
    explicit DecisionSink(const warden_worker_type *worker_type) : type(worker_type) {}
    const warden_worker_type *type;
    bool submitted = false;
    bool refused = false;
    std::string state, action, reason, error;
    int32_t signal = WARDEN_SIGNAL_NONE;
};
struct CancelToken {
    bool requested = false;
    int64_t deadline_ns = INT64_MAX;
};

inline Context *ctx(warden_host_ctx *c) {
    return reinterpret_cast<Context *>(c);
}
inline warden_host_ctx *handle(Context *c) {
    return reinterpret_cast<warden_host_ctx *>(c);
}

// Error texts are per thread, as on the host [WP-ERR-2].
inline std::string &hook_error() {
    thread_local std::string text;
    return text;
}
inline std::string &service_error() {
    thread_local std::string text;
    return text;
}
inline warden_status service_failed(warden_status status, std::string text) {
    service_error() = std::move(text);
    return status;
}

}  // namespace fake_detail

class FakeHost {
public:
    FakeHost() {
        plugin_ctx_ = make_context("plugin", "", "");
        services_ = warden_struct_init<warden_host_services>();
        services_.abi_version = WARDEN_ABI_VERSION;
        services_.log_enabled = &log_enabled;
        services_.log_write = &log_write;
        services_.set_error = &set_error;
        services_.last_service_error = &last_service_error;
        services_.monotonic_ns = &monotonic_ns;
        services_.wall_ns = &wall_ns;
        services_.json_sink_write = &json_sink_write;
        services_.decision_submit = &decision_submit;
        services_.cancel_requested = &cancel_requested;
        services_.cancel_deadline_ns = &cancel_deadline_ns;
        services_.service_create = &service_create;
        services_.service_observe = &service_observe;
        services_.service_control = &service_control;
        services_.service_remove = &service_remove;
        services_.service_list = &service_list;
        services_.http_probe = &http_probe;
        services_.port_reserve = &port_reserve;
        services_.service_log_read = &service_log_read;
        services_.command_run = &command_run;
        current() = this;
    }
    ~FakeHost() {
        unload();
        if (current() == this) current() = nullptr;
    }
    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    const warden_host_services *services() const { return &services_; }
    warden_host_ctx *plugin_context() { return fake_detail::handle(plugin_ctx_); }

    /// Makes this host one that offers no service operations, HTTP probe,
    /// port reservations, log reads or commands, as Warden's first host. It
    /// still announces this SDK's ABI version.
    void remove_service_slots() {
        services_.service_create = nullptr;
        services_.service_observe = nullptr;
        services_.service_control = nullptr;
        services_.service_remove = nullptr;
        services_.service_list = nullptr;
        services_.http_probe = nullptr;
        services_.port_reserve = nullptr;
        services_.service_log_read = nullptr;
        services_.command_run = nullptr;
    }

    // ---- the plugin -------------------------------------------------------

    /// Calls the entry, checks the table exactly as the host does, and calls
    /// init. Throws std::runtime_error with the host's step and cause when the
    /// host would refuse the plugin.
    const warden_plugin *load(warden_plugin_entry_fn entry) {
        const warden_plugin *plugin = entry(WARDEN_ABI_VERSION);
        if (plugin == nullptr)
            throw std::runtime_error("entry call: warden_plugin_entry returned NULL");
        if (auto problem = check_plugin_table(*plugin))
            throw std::runtime_error(problem->step + ": " + problem->cause);
        plugin_ctx_->label = "plugin " + std::string(view(plugin->name));
        if (plugin->init != nullptr) {
            fake_detail::hook_error().clear();
            const warden_status status = plugin->init(&services_, plugin_context());
            if (status != WARDEN_OK)
                throw std::runtime_error("init: init returned " + std::to_string(status) + " (" +
                                         warden_status_name(status) +
                                         "): " + fake_detail::hook_error());
        }
        plugin_ = plugin;
        return plugin;
    }

    /// Calls the plugin's shutdown (once); the destructor does it too.
    void unload() {
        if (plugin_ != nullptr && plugin_->shutdown != nullptr) plugin_->shutdown();
        plugin_ = nullptr;
    }

    /// The loaded plugin's worker type `name`; throws if it offers none.
    const warden_worker_type *worker_type(std::string_view name) const {
        if (plugin_ != nullptr)
            for (uint32_t i = 0; i < plugin_->worker_type_count; ++i)
                if (view(plugin_->worker_types[i]->name) == name) return plugin_->worker_types[i];
        throw std::runtime_error("no worker type '" + std::string(name) + "' loaded");
    }

    // ---- logs -------------------------------------------------------------

    void set_log_level(Level level) { log_level_ = level; }
    std::vector<LogLine> logs() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return logs_;
    }
    /// Whether some line at `level` or above contains `needle`.
    bool logged(std::string_view needle, Level level = Level::trace) const {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto &line : logs_)
            if (line.level >= level && line.message.find(needle) != std::string::npos) return true;
        return false;
    }

    // ---- clock ------------------------------------------------------------

    int64_t now_ns() const { return monotonic_now_.load(); }
    int64_t wall_now_ns() const { return wall_now_.load(); }
    void advance(int64_t ns) {
        monotonic_now_ += ns;
        wall_now_ += ns;
    }

    // ---- services (on the fake s6) -----------------------------------------

    FakeS6 &s6() { return s6_; }
    bool has_service(const std::string &name) const { return s6_.has(name); }
    FakeService service(const std::string &name) const { return s6_.get(name); }
    void update_service(const std::string &name, const std::function<void(FakeService &)> &change) {
        s6_.update(name, change);
    }
    /// The process exited with `exit_code`; s6 will start it again.
    void crash_service(const std::string &name, int32_t exit_code) {
        s6_.crash(name, exit_code, wall_now_ns());
    }
    /// s6 started the service's process again.
    void revive_service(const std::string &name) { s6_.revive(name, wall_now_ns()); }

    /// Every service operation, as the real host's audit stream would show
    /// it: "<type>/<name> <operation> <service> <status>".
    std::vector<std::string> audit() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return audit_;
    }

    /// The service's log as s6-log would have written it (each line without
    /// its newline; the real host hands them over with s6-log's timestamp).
    void set_log(const std::string &service, std::vector<std::string> lines) {
        s6_.set_log(service, std::move(lines));
    }
    void append_log(const std::string &service, std::string line) {
        s6_.append_log(service, std::move(line));
    }

    // ---- HTTP ---------------------------------------------------------------

    /// Answer requests for `path` on `port` with `response`.
    void serve_http(uint32_t port, const std::string &path, HttpResponse response) {
        std::lock_guard<std::mutex> lock(mutex_);
        http_timeouts_.erase({port, path});
        http_routes_[{port, path}] = std::move(response);
    }
    /// Requests for `path` on `port` get no answer: WARDEN_ERR_TIMEOUT.
    void http_timeout(uint32_t port, const std::string &path) {
        std::lock_guard<std::mutex> lock(mutex_);
        http_routes_.erase({port, path});
        http_timeouts_.insert({port, path});
    }
    /// Nothing listens on `port` any more, as when its process is down:
    /// every request to it is refused until routes are served again.
    void stop_http(uint32_t port) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto on_port = [port](const auto &route) { return route.first == port; };
        for (auto it = http_routes_.begin(); it != http_routes_.end();)
            it = on_port(it->first) ? http_routes_.erase(it) : std::next(it);
        for (auto it = http_timeouts_.begin(); it != http_timeouts_.end();)
            it = on_port(*it) ? http_timeouts_.erase(it) : std::next(it);
    }

    // ---- ports --------------------------------------------------------------

    FakePorts &ports() { return ports_; }
    /// Plays worker `type`/`name` holding `port` for `purpose`.
    void hold_port(std::string type, std::string name, std::string purpose, uint32_t port) {
        ports_.hold(std::move(type), std::move(name), std::move(purpose), port);
    }
    std::optional<uint32_t> reserved_port(const std::string &type, const std::string &name,
                                          const std::string &purpose) const {
        return ports_.reserved(type, name, purpose);
    }
    /// Ends worker `type`/`name`'s reservations, as removing it from the
    /// config does.
    void release_ports(const std::string &type, const std::string &name) {
        ports_.release(type, name);
    }

    // ---- commands -------------------------------------------------------------

    /// Answers every command a worker runs; without one, command_run is
    /// WARDEN_ERR_NOT_FOUND. See warden/testing/fake_commands.hpp.
    void on_command(std::function<CommandResult(const Command &)> handler) {
        commands_.on_command(std::move(handler));
    }
    /// Every command that would have started, in order.
    std::vector<Command> commands() const { return commands_.commands(); }

    // ---- contexts -----------------------------------------------------------

    /// A context for worker `type`/`name` (or, with empty names, a plugin),
    /// owned by this host.
    fake_detail::Context *make_context(std::string label, std::string type, std::string name) {
        std::lock_guard<std::mutex> lock(mutex_);
        contexts_.push_back(std::make_unique<fake_detail::Context>(
            fake_detail::Context{this, std::move(label), std::move(type), std::move(name), {}}));
        return contexts_.back().get();
    }

    /// A context for checking worker `type`/`name`'s config, as
    /// `warden --check-config` makes one: the ports it reserves are checked
    /// against the reservations this host holds (hold_port plays the other
    /// workers of the checked file) and not kept.
    fake_detail::Context *make_check_context(const std::string &type, const std::string &name) {
        fake_detail::Context *c = make_context(type + "/" + name, type, name);
        c->check_ports = std::make_unique<FakePorts>(ports_);
        return c;
    }

private:
    static constexpr std::size_t kMaxJsonBytes = 4 * 1024 * 1024;
    static constexpr std::size_t kMaxLogBytes = std::size_t{256} * 1024;

    static FakeHost *&current() {
        static FakeHost *host = nullptr;
        return host;
    }
    static FakeHost &of(warden_host_ctx *c) { return *fake_detail::ctx(c)->host; }

    static bool log_enabled(warden_host_ctx *c, int32_t level) {
        return level >= static_cast<int32_t>(of(c).log_level_);
    }
    static void log_write(warden_host_ctx *c, int32_t level, warden_str message) {
        FakeHost &host = of(c);
        if (level < static_cast<int32_t>(host.log_level_)) return;
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.logs_.push_back(LogLine{static_cast<Level>(level), fake_detail::ctx(c)->label,
                                     printable(view(message), 4096)});
    }
    static void set_error(warden_host_ctx *, warden_str message) {
        fake_detail::hook_error().assign(view(message).substr(0, 4096));
    }
    static void last_service_error(warden_host_ctx *, warden_receive_fn on_text, void *user) {
        on_text(user, str(fake_detail::service_error()));
    }
    static int64_t monotonic_ns() { return current() ? current()->now_ns() : 0; }
    static int64_t wall_ns() { return current() ? current()->wall_now_ns() : 0; }

    static warden_status json_sink_write(warden_json_sink *sink, warden_str text) {
        fake_detail::service_error().clear();
        auto *json = reinterpret_cast<fake_detail::JsonSink *>(sink);
        if (json == nullptr || (text.ptr == nullptr && text.len != 0))
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "json_sink_write: NULL sink or text");
        if (text.len > kMaxJsonBytes - json->text.size())
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "json_sink_write: the document would pass 4 MiB");
        json->text.append(view(text));
        return WARDEN_OK;
    }
    static warden_status decision_submit(warden_decision_sink *s, const warden_decision *d) {
        fake_detail::service_error().clear();
        auto *sink = reinterpret_cast<fake_detail::DecisionSink *>(s);
        if (sink == nullptr || d == nullptr)
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "decision_submit: NULL sink or decision");
        std::string problem = decision_problem(*sink->type, *d, sink->submitted);
        sink->submitted = true;
        if (!problem.empty()) {
            sink->refused = true;
            if (sink->error.empty()) sink->error = problem;
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT, std::move(problem));
        }
        sink->state = view(d->state);
        sink->action = view(d->action);
        sink->reason = view(d->reason);
        sink->signal = d->signal;
        return WARDEN_OK;
    }
    static bool cancel_requested(const warden_cancel *c) {
        return reinterpret_cast<const fake_detail::CancelToken *>(c)->requested;
    }
    static int64_t cancel_deadline_ns(const warden_cancel *c) {
        return reinterpret_cast<const fake_detail::CancelToken *>(c)->deadline_ns;
    }

    // Checks the name and the caller's scope, as the real host does [WP-SVC-1],
    // and writes the audit line.
    static warden_status admit(warden_host_ctx *c, std::string_view name, const char *operation) {
        fake_detail::service_error().clear();
        const fake_detail::Context &caller = *fake_detail::ctx(c);
        warden_status status = WARDEN_OK;
        const std::string own = caller.type + "-" + caller.name;
        if (!valid_service_name(name)) {
            status = fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                                 "invalid service name '" + printable(name, 80) +
                                                     "': names are [a-z0-9][a-z0-9_-]{0,63}");
        } else if (caller.type.empty() ||
                   !(name == own || (name.size() > own.size() + 1 &&
                                     name.compare(0, own.size() + 1, own + "-") == 0))) {
            status = fake_detail::service_failed(
                WARDEN_ERR_NOT_PERMITTED, "service '" + std::string(name) +
                                              "' is outside the scope of " + caller.label + " (" +
                                              own + ", " + own + "-*)");
        }
        FakeHost &host = of(c);
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.audit_.push_back(caller.type + "/" + caller.name + " " + operation + " " +
                              printable(name, 80) + " " + warden_status_name(status));
        return status;
    }

    static ServiceSpec copy_spec(const warden_service_spec &c) {
        ServiceSpec spec;
        spec.name = view(c.name);
        for (std::size_t i = 0; i < c.argc; ++i) spec.argv.emplace_back(view(c.argv[i]));
        for (std::size_t i = 0; i < c.env_count; ++i) spec.env.emplace_back(view(c.env[i]));
        spec.working_dir = view(c.working_dir);
        for (std::size_t i = 0; i < c.file_count; ++i)
            spec.files.push_back(ServiceFile{std::string(view(c.files[i]->path)),
                                             std::string(view(c.files[i]->content)),
                                             c.files[i]->mode});
        spec.notification_fd = c.notification_fd;
        spec.down_signal = c.down_signal;
        spec.kill_timeout_ms = c.kill_timeout_ms;
        spec.start_down = (c.flags & WARDEN_SERVICE_START_DOWN) != 0;
        spec.log_max_files = c.log_max_files;
        spec.log_max_file_bytes = c.log_max_file_bytes;
        return spec;
    }

    static warden_status service_create(warden_host_ctx *c, const warden_service_spec *spec) {
        if (spec == nullptr)
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "service_create: NULL spec");
        const warden_status admitted = admit(c, view(spec->name), "create");
        if (admitted != WARDEN_OK) return admitted;
        if ((spec->flags & ~WARDEN_SERVICE_START_DOWN) != 0)
            return fake_detail::service_failed(
                WARDEN_ERR_UNSUPPORTED, "service '" + std::string(view(spec->name)) +
                                            "': unknown spec flags " + std::to_string(spec->flags));
        ServiceSpec copy = copy_spec(*spec);
        if (copy.argv.empty() || copy.argv[0].empty() || copy.argv[0][0] != '/')
            return fake_detail::service_failed(
                WARDEN_ERR_INVALID_ARGUMENT,
                "service '" + copy.name + "': argv[0] must be an absolute path");
        FakeHost &host = of(c);
        host.s6_.create(std::move(copy), host.wall_now_ns());
        return WARDEN_OK;
    }

    static warden_status service_observe(warden_host_ctx *c, warden_str name,
                                         warden_service_status *out) {
        const warden_status admitted = admit(c, view(name), "observe");
        if (admitted != WARDEN_OK) return admitted;
        const ServiceStatus st = of(c).s6_.observe(std::string(view(name)));
        warden_service_status s = WARDEN_INIT(warden_service_status);
        s.flags = st.flags();
        s.pid = st.pid;
        s.since_ns = st.since_ns;
        s.ready_since_ns = st.ready_since_ns;
        s.last_exit_code = st.last_exit_code;
        s.last_signal = st.last_signal;
        s.restart_count = st.restart_count;
        // Write only what the caller's struct holds [WP-ABI-3].
        const std::size_t n = out->struct_size < sizeof s ? out->struct_size : sizeof s;
        const auto *from = reinterpret_cast<const unsigned char *>(&s);
        auto *to = reinterpret_cast<unsigned char *>(out);
        for (std::size_t i = sizeof(uint32_t); i < n; ++i) to[i] = from[i];
        return WARDEN_OK;
    }

    static warden_status service_control(warden_host_ctx *c, warden_str name, int32_t command,
                                         int32_t signal_number) {
        const warden_status admitted = admit(c, view(name), "control");
        if (admitted != WARDEN_OK) return admitted;
        if (command < WARDEN_SERVICE_START || command > WARDEN_SERVICE_STOP_PERSIST)
            return fake_detail::service_failed(
                WARDEN_ERR_UNSUPPORTED, "unknown service command " + std::to_string(command));
        FakeHost &host = of(c);
        if (!host.s6_.control(std::string(view(name)), command, signal_number, host.wall_now_ns()))
            return fake_detail::service_failed(
                WARDEN_ERR_NOT_SUPERVISED,
                "service '" + std::string(view(name)) + "': nobody supervises it");
        return WARDEN_OK;
    }

    static warden_status service_remove(warden_host_ctx *c, warden_str name, uint32_t flags) {
        const warden_status admitted = admit(c, view(name), "remove");
        if (admitted != WARDEN_OK) return admitted;
        if ((flags & ~WARDEN_SERVICE_REMOVE_LOGS) != 0)
            return fake_detail::service_failed(WARDEN_ERR_UNSUPPORTED,
                                               "unknown remove flags " + std::to_string(flags));
        of(c).s6_.remove(std::string(view(name)), (flags & WARDEN_SERVICE_REMOVE_LOGS) != 0);
        return WARDEN_OK;
    }

    static warden_status service_list(warden_host_ctx *c, warden_str prefix,
                                      warden_receive_fn on_name, void *user) {
        const warden_status admitted = admit(c, view(prefix), "list");
        if (admitted != WARDEN_OK) return admitted;
        for (const auto &name : of(c).s6_.list(view(prefix))) on_name(user, str(name));
        return WARDEN_OK;
    }

    static void audit(warden_host_ctx *c, const char *operation, std::string_view subject,
                      warden_status status) {
        const fake_detail::Context &caller = *fake_detail::ctx(c);
        FakeHost &host = of(c);
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.audit_.push_back(caller.type + "/" + caller.name + " " + operation + " " +
                              printable(subject, 80) + " " + warden_status_name(status));
    }

    // As on the host: a worker probes the ports it holds [WP-HTTP-1].
    static std::string probe_scope(const fake_detail::Context &caller, uint32_t port) {
        if (caller.type.empty())
            return caller.label + " is a plugin, not a worker; only workers probe their ports";
        const FakePorts &table = caller.check_ports ? *caller.check_ports : caller.host->ports_;
        if (table.holds(caller.type, caller.name, port)) return {};
        return "http_probe: port " + std::to_string(port) + " is not reserved by worker " +
               caller.label + "; reserve it with port_reserve first";
    }

    static warden_status http_probe(warden_host_ctx *c, const warden_http_request *request,
                                    warden_http_response *response, warden_receive_fn on_body,
                                    void *user) {
        fake_detail::service_error().clear();
        if (request == nullptr || response == nullptr)
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "http_probe: NULL request or response");
        const std::string method =
            request->method.len == 0 ? "GET" : std::string(view(request->method));
        const std::string path(view(request->path));
        const std::string target =
            printable(method, 16) + " 127.0.0.1:" + std::to_string(request->port) + printable(path);
        const auto refuse = [&](warden_status s, const std::string &cause) {
            return fake_detail::service_failed(s, "http " + target + ": " + cause);
        };
        FakeHost &host = of(c);
        HttpResponse answer;
        warden_status status = WARDEN_OK;
        if (method != "GET" && method != "POST") {
            status = refuse(WARDEN_ERR_UNSUPPORTED,
                            "method '" + printable(method, 16) + "' is not offered (GET or POST)");
        } else if (request->port < 1 || request->port > 65535) {
            status = refuse(WARDEN_ERR_INVALID_ARGUMENT,
                            "port " + std::to_string(request->port) + " is not from 1 to 65535");
        } else if (path.empty() || path[0] != '/' || path.size() > 4096 ||
                   path.find(' ') != std::string::npos || !without_control_bytes(path)) {
            status = refuse(WARDEN_ERR_INVALID_ARGUMENT,
                            "the path must begin with '/' and hold no spaces or control "
                            "characters (at most 4096 bytes)");
        } else if (method == "GET" && request->body.len != 0) {
            status = refuse(WARDEN_ERR_INVALID_ARGUMENT, "a GET request has no body");
        } else if (const std::string scope = probe_scope(*fake_detail::ctx(c), request->port);
                   !scope.empty()) {
            status = fake_detail::service_failed(WARDEN_ERR_NOT_PERMITTED, scope);
        } else {
            std::lock_guard<std::mutex> lock(host.mutex_);
            const auto it = host.http_routes_.find({request->port, path});
            if (host.http_timeouts_.count({request->port, path}) != 0) {
                const uint32_t ms = request->timeout_ms == 0      ? 2000
                                    : request->timeout_ms > 10000 ? 10000
                                                                  : request->timeout_ms;
                status =
                    refuse(WARDEN_ERR_TIMEOUT, "no answer within " + std::to_string(ms) + " ms");
            } else if (it == host.http_routes_.end()) {
                status = refuse(WARDEN_ERR_NOT_FOUND, "connection refused");
            } else {
                answer = it->second;
            }
        }
        audit(c, "http_probe", target, status);
        if (status != WARDEN_OK) return status;
        response->status_code = answer.status_code;
        if (on_body != nullptr && !answer.body.empty()) on_body(user, str(answer.body));
        return WARDEN_OK;
    }

    static warden_status port_reserve(warden_host_ctx *c, warden_str purpose, uint32_t requested,
                                      uint32_t *out_port) {
        fake_detail::service_error().clear();
        fake_detail::Context &caller = *fake_detail::ctx(c);
        const std::string what(view(purpose));
        FakePorts::Outcome got;
        if (out_port == nullptr) {
            got = {WARDEN_ERR_INVALID_ARGUMENT, 0, "port_reserve: NULL out_port"};
        } else if (caller.type.empty()) {
            got = {WARDEN_ERR_NOT_PERMITTED, 0,
                   caller.label + " is a plugin, not a worker; only workers reserve ports"};
        } else {
            FakePorts &table = caller.check_ports ? *caller.check_ports : of(c).ports_;
            got = table.reserve(caller.type, caller.name, what, requested);
        }
        audit(c, "port_reserve", what, got.status);
        if (got.status != WARDEN_OK) return fake_detail::service_failed(got.status, got.error);
        *out_port = got.port;
        return WARDEN_OK;
    }

    static warden_status service_log_read(warden_host_ctx *c, warden_str name, uint32_t max_lines,
                                          warden_receive_fn on_line, void *user) {
        const warden_status admitted = admit(c, view(name), "log_read");
        if (admitted != WARDEN_OK) return admitted;
        if (on_line == nullptr)
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "service_log_read: NULL on_line");
        const std::size_t lines = max_lines == 0 ? 100 : max_lines > 1000 ? 1000 : max_lines;
        for (const auto &line : of(c).s6_.log_tail(std::string(view(name)), lines, kMaxLogBytes))
            on_line(user, str(line));
        return WARDEN_OK;
    }

    static warden_status command_run(warden_host_ctx *c, const warden_command *command,
                                     const warden_cancel *cancel, warden_command_result *result,
                                     warden_receive_fn on_output, void *user) {
        fake_detail::service_error().clear();
        if (command == nullptr)
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "command_run: NULL command");
        if (!WARDEN_HAS_FIELD(command, warden_command, timeout_ms))
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "command: struct_size is smaller than ABI 1.2's");
        if ((command->argc > 0 && command->argv == nullptr) ||
            (command->file_count > 0 && command->files == nullptr))
            return fake_detail::service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                                               "command: an array is NULL but its count is not 0");
        for (std::size_t i = 0; i < command->file_count; ++i)
            if (command->files[i] == nullptr ||
                !WARDEN_HAS_FIELD(command->files[i], warden_service_file, mode))
                return fake_detail::service_failed(
                    WARDEN_ERR_INVALID_ARGUMENT,
                    "command: a file entry is NULL or smaller than ABI 1.0's");
        const Command copy = FakeCommands::copy(*command);
        const bool cancelled = cancel != nullptr && cancel_requested(cancel);
        FakeCommands::Outcome ran = of(c).commands_.run(copy, cancelled);
        audit(c, "command", copy.argv.empty() ? std::string() : copy.argv[0], ran.status);
        if (ran.status != WARDEN_OK) return fake_detail::service_failed(ran.status, ran.error);
        if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, exit_code))
            result->exit_code = ran.result.exit_code;
        if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, signal))
            result->signal = ran.result.signal;
        if (on_output != nullptr && !ran.result.output.empty())
            on_output(user, str(ran.result.output));
        return WARDEN_OK;
    }

    warden_host_services services_{};
    std::vector<std::unique_ptr<fake_detail::Context>> contexts_;
    fake_detail::Context *plugin_ctx_ = nullptr;
    const warden_plugin *plugin_ = nullptr;
    Level log_level_ = Level::trace;
    std::atomic<int64_t> monotonic_now_{1'000'000'000};
    std::atomic<int64_t> wall_now_{1'767'225'600'000'000'000};  // 2026-01-01T00:00:00Z
    FakeS6 s6_;
    mutable std::mutex mutex_;
    std::vector<LogLine> logs_;
    std::vector<std::string> audit_;
    std::map<std::pair<uint32_t, std::string>, HttpResponse> http_routes_;
    std::set<std::pair<uint32_t, std::string>> http_timeouts_;
    FakePorts ports_;
    FakeCommands commands_;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_HOST_HPP
