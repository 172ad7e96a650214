// warden/testing/fake_host.hpp — a host for a plugin's own unit tests.
//
// FakeHost implements every slot of warden_host_services in memory: logging
// (captured), errors, a clock the test moves, JSON and decision sinks that
// check what the host checks, cancellation, an in-memory stand-in for the s6
// service operations (scoped like the real host's), and an HTTP probe that
// answers from a table. FakeWorker drives one worker through its hooks the
// way the supervisor does: derive, collect, next, then a transition or an
// action.
//
// It keeps the host's rules where a plugin could trip over them: the same
// table check at load (warden::check_plugin_table), per-thread error texts,
// JSON objects only from derive and collect, the same decision checks and
// messages, the same service scope and name rules, unknown commands and flags
// refused. It is still a fake: no process runs and no file is written, and
// FakeWorker calls the hooks one after another, never at the same time, so
// test what a worker shares between threads on the real host too.
//
// Unlike a host of this release, it offers the service and HTTP probe slots
// (the SDK's contract for them is fixed); remove_service_slots() makes it a
// host without them.
//
// THREADING: a FakeHost and its workers are meant for one test thread. The
// services table it hands out is safe to call from other threads. The clock
// slots take no context: they read the most recently made FakeHost.
// OWNERSHIP: the FakeHost owns every context, sink and worker it makes; it
// must outlive the FakeWorkers made from it.
#ifndef WARDEN_TESTING_FAKE_HOST_HPP
#define WARDEN_TESTING_FAKE_HOST_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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

/// One service in the fake s6. Tests may read and change it.
struct FakeService {
    ServiceSpec spec;
    ServiceStatus status;
    std::vector<std::pair<ServiceCommand, int32_t>> commands;  ///< every control, in order
    int updates = 0;  ///< creates that changed an existing spec
};

class FakeHost;

namespace fake_detail {

struct Context {
    FakeHost *host;
    std::string label;
    std::string type;  // empty for the plugin's own context
    std::string name;
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

// A strict RFC 8259 check (UTF-8 included) that `text` is one JSON object,
// as the host requires of derive and collect.
class JsonChecker {
public:
    static bool is_object(std::string_view text) {
        JsonChecker c(text);
        c.space();
        if (c.at_end() || c.peek() != '{' || !c.value(0)) return false;
        c.space();
        return c.at_end();
    }

private:
    explicit JsonChecker(std::string_view text) : s_(text) {}
    bool at_end() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }
    bool eat(char c) {
        if (at_end() || peek() != c) return false;
        ++i_;
        return true;
    }
    void space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++i_;
    }
    bool digits() {
        const std::size_t start = i_;
        while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
        return i_ > start;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    bool number() {
        eat('-');
        if (eat('0')) {
        } else if (!digits()) {
            return false;
        }
        if (eat('.') && !digits()) return false;
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++i_;
            if (!eat('+')) eat('-');
            if (!digits()) return false;
        }
        return true;
    }
    bool utf8_continuation(std::size_t count) {
        for (std::size_t k = 0; k < count; ++k, ++i_)
            if (at_end() || (static_cast<unsigned char>(peek()) & 0xc0) != 0x80) return false;
        return true;
    }
    bool string() {
        if (!eat('"')) return false;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(peek());
            ++i_;
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c == '\\') {
                if (at_end()) return false;
                const char e = peek();
                ++i_;
                if (e == 'u') {
                    for (int k = 0; k < 4; ++k, ++i_)
                        if (at_end() || !std::isxdigit(static_cast<unsigned char>(peek())))
                            return false;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            } else if (c >= 0x80) {
                const std::size_t more = c >= 0xf5   ? 0
                                         : c >= 0xf0 ? 3
                                         : c >= 0xe0 ? 2
                                         : c >= 0xc2 ? 1
                                                     : 0;
                if (more == 0 || !utf8_continuation(more)) return false;
            }
        }
        return false;
    }
    bool value(int depth) {
        if (depth > 512) return false;
        space();
        if (at_end()) return false;
        switch (peek()) {
            case '{': {
                ++i_;
                space();
                if (eat('}')) return true;
                do {
                    space();
                    if (!string()) return false;
                    space();
                    if (!eat(':') || !value(depth + 1)) return false;
                    space();
                } while (eat(','));
                return eat('}');
            }
            case '[': {
                ++i_;
                space();
                if (eat(']')) return true;
                do {
                    if (!value(depth + 1)) return false;
                    space();
                } while (eat(','));
                return eat(']');
            }
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
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

inline bool valid_service_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!lower_or_digit && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
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

    /// Makes this host one that offers no service operations and no HTTP
    /// probe, as Warden's first host.
    void remove_service_slots() {
        services_.service_create = nullptr;
        services_.service_observe = nullptr;
        services_.service_control = nullptr;
        services_.service_remove = nullptr;
        services_.service_list = nullptr;
        services_.http_probe = nullptr;
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

    // ---- services (the fake s6) -------------------------------------------

    bool has_service(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return fake_services_.count(name) != 0;
    }
    FakeService service(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = fake_services_.find(name);
        if (it == fake_services_.end()) throw std::runtime_error("no service " + name);
        return it->second;
    }
    /// Changes a service as s6 would report it (a crash, a stale supervisor).
    void update_service(const std::string &name, const std::function<void(FakeService &)> &change) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = fake_services_.find(name);
        if (it == fake_services_.end()) throw std::runtime_error("no service " + name);
        change(it->second);
    }
    /// The process exited with `exit_code`; s6 counts the death and, as the
    /// service still wants up, will start it again (see revive_service).
    void crash_service(const std::string &name, int32_t exit_code) {
        update_service(name, [&](FakeService &s) {
            end_process(s);
            s.status.last_exit_code = exit_code;
            s.status.restart_count += 1;
        });
    }
    /// s6 started the service's process again.
    void revive_service(const std::string &name) {
        update_service(name, [&](FakeService &s) { start_process(s); });
    }
    /// Every service operation, as the real host's audit stream would show
    /// it: "<type>/<name> <operation> <service> <status>".
    std::vector<std::string> audit() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return audit_;
    }

    // ---- HTTP ---------------------------------------------------------------

    /// Answer requests for `path` on `port` with `response`.
    void serve_http(uint32_t port, const std::string &path, HttpResponse response) {
        std::lock_guard<std::mutex> lock(mutex_);
        http_routes_[{port, path}] = std::move(response);
    }

    // ---- contexts (used by FakeWorker) -------------------------------------

    /// A context for a worker `type`/`name` (or, with empty names, a plugin),
    /// owned by this host.
    fake_detail::Context *make_context(std::string label, std::string type, std::string name) {
        std::lock_guard<std::mutex> lock(mutex_);
        contexts_.push_back(std::make_unique<fake_detail::Context>(
            fake_detail::Context{this, std::move(label), std::move(type), std::move(name)}));
        return contexts_.back().get();
    }

private:
    static constexpr int32_t kSigterm = 15;
    static constexpr std::size_t kMaxJsonBytes = 4 * 1024 * 1024;

    static FakeHost *&current() {
        static FakeHost *host = nullptr;
        return host;
    }
    static FakeHost &of(warden_host_ctx *c) { return *fake_detail::ctx(c)->host; }
    static fake_detail::Context &context(warden_host_ctx *c) { return *fake_detail::ctx(c); }

    static bool log_enabled(warden_host_ctx *c, int32_t level) {
        return level >= static_cast<int32_t>(of(c).log_level_);
    }
    static void log_write(warden_host_ctx *c, int32_t level, warden_str message) {
        FakeHost &host = of(c);
        if (level < static_cast<int32_t>(host.log_level_)) return;
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.logs_.push_back(
            LogLine{static_cast<Level>(level), context(c).label, printable(view(message), 4096)});
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
        const fake_detail::Context &caller = context(c);
        warden_status status = WARDEN_OK;
        const std::string own = caller.type + "-" + caller.name;
        if (!fake_detail::valid_service_name(name)) {
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
    void start_process(FakeService &s) {
        s.status.up = true;
        s.status.pid = next_pid_++;
        s.status.since_ns = wall_now_ns();
        s.status.ready = s.spec.notification_fd == 0;
        s.status.ready_since_ns = s.status.ready ? s.status.since_ns : 0;
    }
    void end_process(FakeService &s) {
        s.status.up = false;
        s.status.ready = false;
        s.status.ready_since_ns = 0;
        s.status.pid = 0;
        s.status.since_ns = wall_now_ns();
        s.status.died = true;
        s.status.last_exit_code = 0;
        s.status.last_signal = 0;
    }
    void kill_process(FakeService &s) {
        if (!s.status.up) return;
        end_process(s);
        s.status.last_signal = s.spec.down_signal != 0 ? s.spec.down_signal : kSigterm;
    }

    static ServiceSpec copy_spec(const warden_service_spec &c) {
        ServiceSpec spec;
        spec.name = view(c.name);
        for (size_t i = 0; i < c.argc; ++i) spec.argv.emplace_back(view(c.argv[i]));
        for (size_t i = 0; i < c.env_count; ++i) spec.env.emplace_back(view(c.env[i]));
        spec.working_dir = view(c.working_dir);
        for (size_t i = 0; i < c.file_count; ++i)
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
    static bool same_spec(const ServiceSpec &a, const ServiceSpec &b) {
        auto files_equal = [](const std::vector<ServiceFile> &x,
                              const std::vector<ServiceFile> &y) {
            if (x.size() != y.size()) return false;
            for (size_t i = 0; i < x.size(); ++i)
                if (x[i].path != y[i].path || x[i].content != y[i].content ||
                    x[i].mode != y[i].mode)
                    return false;
            return true;
        };
        return a.name == b.name && a.argv == b.argv && a.env == b.env &&
               a.working_dir == b.working_dir && files_equal(a.files, b.files) &&
               a.notification_fd == b.notification_fd && a.down_signal == b.down_signal &&
               a.kill_timeout_ms == b.kill_timeout_ms && a.start_down == b.start_down &&
               a.log_max_files == b.log_max_files && a.log_max_file_bytes == b.log_max_file_bytes;
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
        std::lock_guard<std::mutex> lock(host.mutex_);
        auto it = host.fake_services_.find(copy.name);
        if (it != host.fake_services_.end()) {
            if (same_spec(it->second.spec, copy)) return WARDEN_OK;  // adopted as it is
            it->second.spec = std::move(copy);
            it->second.updates += 1;
            if (it->second.status.up) {  // rewritten, then restarted in place
                host.kill_process(it->second);
                host.start_process(it->second);
            }
            return WARDEN_OK;
        }
        FakeService s;
        s.spec = std::move(copy);
        s.status.exists = true;
        s.status.supervised = true;
        s.status.normally_up = !s.spec.start_down;
        s.status.want_up = !s.spec.start_down;
        s.status.since_ns = host.wall_now_ns();
        if (s.status.want_up) host.start_process(s);
        host.fake_services_.emplace(s.spec.name, std::move(s));
        return WARDEN_OK;
    }

    static warden_status service_observe(warden_host_ctx *c, warden_str name,
                                         warden_service_status *out) {
        const warden_status admitted = admit(c, view(name), "observe");
        if (admitted != WARDEN_OK) return admitted;
        FakeHost &host = of(c);
        warden_service_status s = WARDEN_INIT(warden_service_status);
        {
            std::lock_guard<std::mutex> lock(host.mutex_);
            auto it = host.fake_services_.find(std::string(view(name)));
            if (it != host.fake_services_.end()) {
                const ServiceStatus &st = it->second.status;
                s.flags = st.flags();
                s.pid = st.pid;
                s.since_ns = st.since_ns;
                s.ready_since_ns = st.ready_since_ns;
                s.last_exit_code = st.last_exit_code;
                s.last_signal = st.last_signal;
                s.restart_count = st.restart_count;
            }
        }
        // Write only what the caller's struct holds [WP-ABI-3].
        const size_t n = out->struct_size < sizeof s ? out->struct_size : sizeof s;
        const auto *from = reinterpret_cast<const unsigned char *>(&s);
        auto *to = reinterpret_cast<unsigned char *>(out);
        for (size_t i = sizeof(uint32_t); i < n; ++i) to[i] = from[i];
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
        std::lock_guard<std::mutex> lock(host.mutex_);
        auto it = host.fake_services_.find(std::string(view(name)));
        if (it == host.fake_services_.end() || !it->second.status.supervised)
            return fake_detail::service_failed(
                WARDEN_ERR_NOT_SUPERVISED,
                "service '" + std::string(view(name)) + "': nobody supervises it");
        FakeService &s = it->second;
        s.commands.emplace_back(static_cast<ServiceCommand>(command), signal_number);
        switch (command) {
            case WARDEN_SERVICE_START_PERSIST: s.status.normally_up = true; [[fallthrough]];
            case WARDEN_SERVICE_START:
                s.status.want_up = true;
                if (!s.status.up) host.start_process(s);
                break;
            case WARDEN_SERVICE_STOP_PERSIST: s.status.normally_up = false; [[fallthrough]];
            case WARDEN_SERVICE_STOP:
                s.status.want_up = false;
                host.kill_process(s);
                break;
            case WARDEN_SERVICE_RESTART:
                if (s.status.up) {
                    host.kill_process(s);
                    host.start_process(s);
                }
                break;
            default: break;  // WARDEN_SERVICE_SIGNAL: recorded above
        }
        return WARDEN_OK;
    }

    static warden_status service_remove(warden_host_ctx *c, warden_str name, uint32_t flags) {
        const warden_status admitted = admit(c, view(name), "remove");
        if (admitted != WARDEN_OK) return admitted;
        if ((flags & ~WARDEN_SERVICE_REMOVE_LOGS) != 0)
            return fake_detail::service_failed(WARDEN_ERR_UNSUPPORTED,
                                               "unknown remove flags " + std::to_string(flags));
        FakeHost &host = of(c);
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.fake_services_.erase(std::string(view(name)));
        return WARDEN_OK;
    }

    static warden_status service_list(warden_host_ctx *c, warden_str prefix,
                                      warden_receive_fn on_name, void *user) {
        const warden_status admitted = admit(c, view(prefix), "list");
        if (admitted != WARDEN_OK) return admitted;
        FakeHost &host = of(c);
        std::vector<std::string> names;
        {
            std::lock_guard<std::mutex> lock(host.mutex_);
            for (const auto &entry : host.fake_services_)
                if (entry.first.compare(0, prefix.len, view(prefix)) == 0)
                    names.push_back(entry.first);
        }
        for (const auto &n : names) on_name(user, str(n));
        return WARDEN_OK;
    }

    static warden_status http_probe(warden_host_ctx *c, const warden_http_request *request,
                                    warden_http_response *response, warden_receive_fn on_body,
                                    void *user) {
        fake_detail::service_error().clear();
        FakeHost &host = of(c);
        HttpResponse answer;
        {
            std::lock_guard<std::mutex> lock(host.mutex_);
            auto it = host.http_routes_.find({request->port, std::string(view(request->path))});
            if (it == host.http_routes_.end())
                return fake_detail::service_failed(
                    WARDEN_ERR_NOT_FOUND, "http 127.0.0.1:" + std::to_string(request->port) +
                                              printable(view(request->path)) +
                                              ": connection refused");
            answer = it->second;
        }
        response->status_code = answer.status_code;
        on_body(user, str(answer.body));
        return WARDEN_OK;
    }

    warden_host_services services_{};
    std::vector<std::unique_ptr<fake_detail::Context>> contexts_;
    fake_detail::Context *plugin_ctx_ = nullptr;
    const warden_plugin *plugin_ = nullptr;
    Level log_level_ = Level::trace;
    std::atomic<int64_t> monotonic_now_{1'000'000'000};
    std::atomic<int64_t> wall_now_{1'767'225'600'000'000'000};  // 2026-01-01T00:00:00Z
    mutable std::mutex mutex_;
    std::vector<LogLine> logs_;
    std::vector<std::string> audit_;
    std::map<std::string, FakeService> fake_services_;
    std::map<std::pair<uint32_t, std::string>, HttpResponse> http_routes_;
    int64_t next_pid_ = 1000;
};

/// What one hook call produced.
struct HookResult {
    warden_status status = WARDEN_OK;
    std::string error;   ///< why it failed: set_error text, or what the host refused
    std::string output;  ///< the JSON the hook wrote, for derive and collect
    bool ok() const { return status == WARDEN_OK && error.empty(); }
};

/// What one `next` produced.
struct NextResult {
    warden_status status = WARDEN_OK;
    std::string error;  ///< set_error text, or why the host refused the decision
    std::string state, action, reason;
    Signal signal = Signal::none;
    bool ok() const { return status == WARDEN_OK && error.empty(); }
};

/// One worker, driven through its hooks the way the supervisor drives it.
class FakeWorker {
public:
    FakeWorker(FakeHost &host, const warden_worker_type *type, std::string name,
               std::string config_json, DesiredState desired = DesiredState::running)
        : host_(host),
          type_(type),
          type_name_(view(type->name)),
          name_(std::move(name)),
          config_(std::move(config_json)),
          desired_state_(desired),
          state_(view(type->initial_state)) {
        ctx_ = host_.make_context(label(), type_name_, name_);
        identity_ = warden_struct_init<warden_identity>();
        identity_.type = str(type_name_);
        identity_.name = str(name_);
        identity_.created_at_ns = host_.wall_now_ns();
        state_since_ = host_.now_ns();
        const HookResult created =
            call([&] { return type_->create(fake_detail::handle(ctx_), &identity_, &worker_); });
        if (!created.ok())
            throw std::runtime_error("create failed (" +
                                     std::string(warden_status_name(created.status)) +
                                     "): " + created.error);
    }
    ~FakeWorker() {
        if (worker_ != nullptr) type_->destroy(worker_);
    }
    FakeWorker(const FakeWorker &) = delete;
    FakeWorker &operator=(const FakeWorker &) = delete;

    const std::string &state() const { return state_; }
    const std::string &desired_json() const { return desired_; }
    const std::string &observed_json() const { return observed_; }
    const std::string &last_action() const { return last_action_; }
    const HookResult &last_action_result() const { return last_action_result_; }

    void set_config(std::string config_json) { config_ = std::move(config_json); }
    void set_desired_state(DesiredState desired) { desired_state_ = desired; }
    void request_shutdown() { shutdown_requested_ = true; }
    /// Makes the cancel token handed to collect and execute report "cancel".
    void cancel_hooks(bool requested) { cancel_.requested = requested; }

    /// derive_desired_state, with a context that lives for this call only,
    /// as on the host.
    HookResult derive() {
        fake_detail::Context *once = host_.make_context(label(), type_name_, name_);
        fake_detail::JsonSink sink;
        HookResult r = call([&] {
            return type_->derive_desired_state(fake_detail::handle(once), &identity_, str(config_),
                                               reinterpret_cast<warden_json_sink *>(&sink));
        });
        once->host = nullptr;  // any later use through this context crashes the test
        json_object(r, "derive_desired_state", sink.text);
        if (r.ok()) desired_ = r.output;
        return r;
    }

    HookResult collect() {
        fake_detail::JsonSink sink;
        const warden_snapshot snap = snapshot();
        HookResult r = call([&] {
            return type_->collect_observed_state(worker_, &snap,
                                                 reinterpret_cast<const warden_cancel *>(&cancel_),
                                                 reinterpret_cast<warden_json_sink *>(&sink));
        });
        json_object(r, "collect_observed_state", sink.text);
        if (r.ok()) {
            observed_ = r.output;
            observed_at_ = host_.now_ns();
        }
        return r;
    }

    NextResult next() {
        fake_detail::DecisionSink sink(type_);
        const warden_snapshot snap = snapshot();
        fake_detail::hook_error().clear();
        NextResult r;
        r.status = type_->next(worker_, &snap, reinterpret_cast<warden_decision_sink *>(&sink));
        if (sink.refused) {
            r.status = r.status == WARDEN_OK ? WARDEN_ERR_INVALID_ARGUMENT : r.status;
            r.error = sink.error;
        } else if (r.status != WARDEN_OK) {
            r.error = fake_detail::hook_error();
        }
        r.state = sink.state;
        r.action = sink.action;
        r.reason = sink.reason;
        r.signal = static_cast<Signal>(sink.signal);
        return r;
    }

    HookResult execute(const std::string &action) {
        const warden_snapshot snap = snapshot();
        HookResult r = call([&] {
            return type_->execute_action(worker_, str(action), &snap,
                                         reinterpret_cast<const warden_cancel *>(&cancel_));
        });
        last_action_ = action;
        last_action_result_ = r;
        last_action_finished_ = host_.now_ns();
        return r;
    }

    /// One supervisor tick: derive, collect, next, then move to the new state
    /// or run the action. Throws std::runtime_error when a hook fails.
    NextResult step() {
        const HookResult d = derive();
        if (!d.ok()) throw std::runtime_error("derive_desired_state failed: " + d.error);
        const HookResult c = collect();
        if (!c.ok()) throw std::runtime_error("collect_observed_state failed: " + c.error);
        NextResult n = next();
        if (!n.ok()) throw std::runtime_error("next failed: " + n.error);
        if (!n.state.empty() && n.state != state_) {
            state_ = n.state;
            state_since_ = host_.now_ns();
        }
        if (!n.action.empty()) execute(n.action);
        return n;
    }

private:
    std::string label() const { return type_name_ + "/" + name_; }

    template <typename Call>
    HookResult call(Call &&hook) {
        fake_detail::hook_error().clear();
        HookResult r;
        r.status = hook();
        if (r.status != WARDEN_OK) r.error = fake_detail::hook_error();
        return r;
    }

    // The host accepts one JSON object from derive and collect, nothing else.
    static void json_object(HookResult &r, const char *hook, const std::string &text) {
        if (!r.ok()) return;
        if (!fake_detail::JsonChecker::is_object(text)) {
            r.status = WARDEN_ERR;
            r.error = std::string(hook) + " wrote no JSON object: '" + printable(text) + "'";
            return;
        }
        r.output = text;
    }

    warden_snapshot snapshot() const {
        warden_snapshot s = WARDEN_INIT(warden_snapshot);
        s.identity = &identity_;
        s.state = str(state_);
        s.state_since_ns = state_since_;
        s.now_ns = host_.now_ns();
        s.desired_state = static_cast<int32_t>(desired_state_);
        s.flags = shutdown_requested_ ? WARDEN_SNAPSHOT_SHUTDOWN_REQUESTED : 0u;
        s.desired_json = str(desired_);
        s.observed_json = str(observed_);
        s.observed_at_ns = observed_at_;
        s.last_action = str(last_action_);
        s.last_action_status = last_action_result_.status;
        s.last_action_error = str(last_action_result_.error);
        s.last_action_finished_ns = last_action_finished_;
        return s;
    }

    FakeHost &host_;
    const warden_worker_type *type_;
    std::string type_name_;
    std::string name_;
    std::string config_;
    DesiredState desired_state_;
    bool shutdown_requested_ = false;
    fake_detail::Context *ctx_ = nullptr;
    fake_detail::CancelToken cancel_;
    warden_identity identity_{};
    warden_worker *worker_ = nullptr;
    std::string state_;
    int64_t state_since_ = 0;
    std::string desired_;
    std::string observed_;
    int64_t observed_at_ = 0;
    std::string last_action_;
    HookResult last_action_result_;
    int64_t last_action_finished_ = 0;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_HOST_HPP
