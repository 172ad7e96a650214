// warden/host.hpp — the host services, as a C++ object a plugin calls.
//
// A Host pairs the host services table with one context (the plugin's or one
// worker's). It owns neither: both belong to the host and stay valid for the
// life of that plugin or worker. Copying a Host is cheap; every method is
// thread-safe because every host service is [WP-THR-5].
//
// Service and HTTP calls throw warden::Error carrying the host's status and
// its error text; the other calls never throw.
#ifndef WARDEN_HOST_HPP
#define WARDEN_HOST_HPP

#include <warden/types.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace warden {

/// A file written into a service's data/ directory; the process finds it at
/// data/<path> from the service directory, where it starts.
struct ServiceFile {
    std::string path;  ///< relative to data/
    std::string content;
    uint32_t mode = 0;  ///< 0 = 0644
};

/// What to run as one s6 service (see warden_service_spec).
struct ServiceSpec {
    std::string name;
    std::vector<std::string> argv;  ///< argv[0] is an absolute path
    std::vector<std::string> env;   ///< "NAME=value"
    std::string working_dir;        ///< empty = the service directory
    std::vector<ServiceFile> files;
    int32_t notification_fd = 0;
    int32_t down_signal = 0;
    uint32_t kill_timeout_ms = 0;
    bool start_down = false;
    uint32_t log_max_files = 0;
    uint64_t log_max_file_bytes = 0;
};

/// One observation of a service (see warden_service_status).
struct ServiceStatus {
    bool exists = false;
    bool supervised = false;  ///< false: the status is stale, nobody updates it
    bool up = false;
    bool ready = false;
    bool want_up = false;
    bool normally_up = false;
    bool finishing = false;
    bool died = false;  ///< a process has ended: last_exit_code and last_signal tell how
    int64_t pid = 0;
    int64_t since_ns = 0;
    int64_t ready_since_ns = 0;
    int32_t last_exit_code = 0;  ///< when died and last_signal is 0
    int32_t last_signal = 0;     ///< when died: the signal that killed it; 0 = it exited
    uint32_t restart_count = 0;

    static ServiceStatus from(const warden_service_status &s) noexcept {
        ServiceStatus out;
        out.exists = (s.flags & WARDEN_SERVICE_EXISTS) != 0;
        out.supervised = (s.flags & WARDEN_SERVICE_SUPERVISED) != 0;
        out.up = (s.flags & WARDEN_SERVICE_UP) != 0;
        out.ready = (s.flags & WARDEN_SERVICE_READY) != 0;
        out.want_up = (s.flags & WARDEN_SERVICE_WANT_UP) != 0;
        out.normally_up = (s.flags & WARDEN_SERVICE_NORMALLY_UP) != 0;
        out.finishing = (s.flags & WARDEN_SERVICE_FINISHING) != 0;
        out.died = (s.flags & WARDEN_SERVICE_DIED) != 0;
        out.pid = s.pid;
        out.since_ns = s.since_ns;
        out.ready_since_ns = s.ready_since_ns;
        out.last_exit_code = s.last_exit_code;
        out.last_signal = s.last_signal;
        out.restart_count = s.restart_count;
        return out;
    }

    /// The flags field of the C struct for this status.
    uint32_t flags() const noexcept {
        return (exists ? WARDEN_SERVICE_EXISTS : 0u) |
               (supervised ? WARDEN_SERVICE_SUPERVISED : 0u) | (up ? WARDEN_SERVICE_UP : 0u) |
               (ready ? WARDEN_SERVICE_READY : 0u) | (want_up ? WARDEN_SERVICE_WANT_UP : 0u) |
               (normally_up ? WARDEN_SERVICE_NORMALLY_UP : 0u) |
               (finishing ? WARDEN_SERVICE_FINISHING : 0u) | (died ? WARDEN_SERVICE_DIED : 0u);
    }
};

enum class ServiceCommand : int32_t {
    start = WARDEN_SERVICE_START,
    stop = WARDEN_SERVICE_STOP,
    restart = WARDEN_SERVICE_RESTART,
    signal = WARDEN_SERVICE_SIGNAL,
    start_persist = WARDEN_SERVICE_START_PERSIST,
    stop_persist = WARDEN_SERVICE_STOP_PERSIST,
};

struct HttpRequest {
    std::string method = "GET";
    uint32_t port = 0;
    std::string path = "/";
    std::string content_type;
    std::string body;
    uint32_t timeout_ms = 0;  ///< 0 = host default
};

struct HttpResponse {
    int32_t status_code = 0;
    std::string body;
};

class Host {
public:
    Host() noexcept = default;
    Host(const warden_host_services *services, warden_host_ctx *ctx) noexcept
        : services_(services), ctx_(ctx) {}

    const warden_host_services *services() const noexcept { return services_; }
    warden_host_ctx *context() const noexcept { return ctx_; }

    bool log_enabled(Level level) const noexcept {
        return services_ != nullptr && services_->log_enabled(ctx_, static_cast<int32_t>(level));
    }
    void log(Level level, std::string_view message) const noexcept {
        if (services_ != nullptr)
            services_->log_write(ctx_, static_cast<int32_t>(level), str(message));
    }
    void trace(std::string_view m) const noexcept { log(Level::trace, m); }
    void debug(std::string_view m) const noexcept { log(Level::debug, m); }
    void info(std::string_view m) const noexcept { log(Level::info, m); }
    void warn(std::string_view m) const noexcept { log(Level::warn, m); }
    void error(std::string_view m) const noexcept { log(Level::error, m); }

    void set_error(std::string_view message) const noexcept {
        if (services_ != nullptr) services_->set_error(ctx_, str(message));
    }

    int64_t monotonic_ns() const noexcept { return services_->monotonic_ns(); }
    int64_t wall_ns() const noexcept { return services_->wall_ns(); }

    /// Whether this host offers the service operations (a 1.0 host does not).
    bool offers_services() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, service_list) &&
               services_->service_create != nullptr && services_->service_observe != nullptr &&
               services_->service_control != nullptr && services_->service_remove != nullptr &&
               services_->service_list != nullptr;
    }

    /// Whether this host offers the HTTP probe (a 1.0 host does not).
    bool offers_http_probe() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, http_probe) &&
               services_->http_probe != nullptr;
    }

    void create_service(const ServiceSpec &spec) const {
        require_services("create service");
        std::vector<warden_str> argv;
        for (const auto &a : spec.argv) argv.push_back(str(a));
        std::vector<warden_str> env;
        for (const auto &e : spec.env) env.push_back(str(e));
        std::vector<warden_service_file> files;
        files.reserve(spec.files.size());
        std::vector<const warden_service_file *> file_ptrs;
        for (const auto &f : spec.files) {
            warden_service_file c = WARDEN_INIT(warden_service_file);
            c.path = str(f.path);
            c.content = str(f.content);
            c.mode = f.mode;
            files.push_back(c);
            file_ptrs.push_back(&files.back());
        }
        warden_service_spec c = WARDEN_INIT(warden_service_spec);
        c.flags = spec.start_down ? WARDEN_SERVICE_START_DOWN : 0u;
        c.name = str(spec.name);
        c.argv = argv.data();
        c.argc = argv.size();
        c.env = env.data();
        c.env_count = env.size();
        c.working_dir = str(spec.working_dir);
        c.files = file_ptrs.data();
        c.file_count = file_ptrs.size();
        c.notification_fd = spec.notification_fd;
        c.down_signal = spec.down_signal;
        c.kill_timeout_ms = spec.kill_timeout_ms;
        c.log_max_files = spec.log_max_files;
        c.log_max_file_bytes = spec.log_max_file_bytes;
        check(services_->service_create(ctx_, &c), "create service", spec.name);
    }

    ServiceStatus observe_service(std::string_view name) const {
        require_services("observe service");
        warden_service_status s = WARDEN_INIT(warden_service_status);
        check(services_->service_observe(ctx_, str(name), &s), "observe service", name);
        return ServiceStatus::from(s);
    }

    void control_service(std::string_view name, ServiceCommand command,
                         int32_t signal_number = 0) const {
        require_services("control service");
        check(services_->service_control(ctx_, str(name), static_cast<int32_t>(command),
                                         signal_number),
              "control service", name);
    }

    void remove_service(std::string_view name, bool delete_logs = false) const {
        require_services("remove service");
        check(services_->service_remove(ctx_, str(name),
                                        delete_logs ? WARDEN_SERVICE_REMOVE_LOGS : 0u),
              "remove service", name);
    }

    std::vector<std::string> list_services(std::string_view prefix) const {
        require_services("list services");
        Receiver<std::vector<std::string>> names;
        check(services_->service_list(ctx_, str(prefix), &append_to<std::vector<std::string>>,
                                      &names),
              "list services", prefix);
        return received(std::move(names), "list services");
    }

    HttpResponse http(const HttpRequest &request) const {
        if (!offers_http_probe())
            throw Error(WARDEN_ERR_UNSUPPORTED,
                        "http probe: this host does not offer it (host ABI " + abi_text() + ")");
        warden_http_request c = WARDEN_INIT(warden_http_request);
        c.method = str(request.method);
        c.port = request.port;
        c.path = str(request.path);
        c.content_type = str(request.content_type);
        c.body = str(request.body);
        c.timeout_ms = request.timeout_ms;
        warden_http_response r = WARDEN_INIT(warden_http_response);
        Receiver<std::string> body;
        check(services_->http_probe(ctx_, &c, &r, &append_to<std::string>, &body), "http probe",
              request.path);
        return HttpResponse{r.status_code, received(std::move(body), "http probe")};
    }

    /// The text of the last failed host service on this thread.
    std::string last_service_error() const {
        Receiver<std::string> text;
        if (services_ != nullptr && services_->last_service_error != nullptr)
            services_->last_service_error(ctx_, &append_to<std::string>, &text);
        return std::move(text.out);
    }

private:
    // Receives host data into a std::string or a std::vector<std::string>.
    // Called from the host's C frames, so it must not throw: a failed
    // allocation is remembered and reported after the call.
    template <typename Out>
    struct Receiver {
        Out out;
        bool failed = false;
    };
    template <typename Out>
    static void append_to(void *user, warden_str data) noexcept {
        auto *receiver = static_cast<Receiver<Out> *>(user);
        try {
            if constexpr (std::is_same_v<Out, std::string>) {
                receiver->out.append(view(data));
            } else {
                receiver->out.emplace_back(view(data));
            }
        } catch (...) {
            receiver->failed = true;
        }
    }
    template <typename Out>
    static Out received(Receiver<Out> &&receiver, const char *what) {
        if (receiver.failed) throw Error(WARDEN_ERR, std::string(what) + ": out of memory");
        return std::move(receiver.out);
    }

    std::string abi_text() const {
        if (services_ == nullptr) return "unknown";
        return std::to_string(WARDEN_ABI_MAJOR(services_->abi_version)) + "." +
               std::to_string(WARDEN_ABI_MINOR(services_->abi_version));
    }

    void require_services(const char *what) const {
        if (!offers_services())
            throw Error(WARDEN_ERR_UNSUPPORTED, std::string(what) +
                                                    ": this host does not offer service operations "
                                                    "(host ABI " +
                                                    abi_text() + ")");
    }

    void check(warden_status status, const char *what, std::string_view subject) const {
        if (status == WARDEN_OK) return;
        std::string text = last_service_error();
        std::string message = std::string(what) + " '" + std::string(subject) + "': ";
        message += text.empty() ? std::string(warden_status_name(status)) : text;
        throw Error(status, message);
    }

    const warden_host_services *services_ = nullptr;
    warden_host_ctx *ctx_ = nullptr;
};

/// The host's request that a running hook stop early.
class Cancel {
public:
    Cancel(const warden_host_services *services, const warden_cancel *cancel) noexcept
        : services_(services), cancel_(cancel) {}

    bool requested() const noexcept {
        return cancel_ != nullptr && services_->cancel_requested(cancel_);
    }
    /// Monotonic ns by which the hook should return; INT64_MAX = none.
    int64_t deadline_ns() const noexcept {
        return cancel_ == nullptr ? INT64_MAX : services_->cancel_deadline_ns(cancel_);
    }
    /// Throws Error(WARDEN_ERR_CANCELLED) when the host asked to stop.
    void throw_if_requested(std::string_view what) const {
        if (requested())
            throw Error(WARDEN_ERR_CANCELLED, std::string(what) + ": cancelled by the host");
    }

private:
    const warden_host_services *services_;
    const warden_cancel *cancel_;
};

}  // namespace warden

#endif  // WARDEN_HOST_HPP
