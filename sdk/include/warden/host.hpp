// SPDX-License-Identifier: Apache-2.0
// warden/host.hpp — the host services, as a C++ object a plugin calls.
//
// A Host pairs the host services table with one context (the plugin's or one
// worker's). It owns neither: both belong to the host and stay valid for the
// life of that plugin or worker. Copying a Host is cheap; every method is
// thread-safe because every host service is [WP-THR-5].
//
// Service, HTTP, port, log, command and figure calls throw warden::Error
// carrying the host's status and its error text, or WARDEN_ERR_UNSUPPORTED
// when the host does not offer the slot (check with the offers_* methods
// first); the other calls never throw. run_command takes the running hook's Cancel
// (warden/snapshot.hpp).
#ifndef WARDEN_HOST_HPP
#define WARDEN_HOST_HPP

#include <warden/snapshot.hpp>
#include <warden/types.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace warden {

/// A file written for a service or a command: into a service's data/
/// directory (the process finds it at data/<path> from the service directory,
/// where it starts), or into a command's private working directory.
struct ServiceFile {
    std::string path;  ///< relative to data/ (service) or the working dir (command)
    std::string content;
    uint32_t mode = 0;  ///< 0 = WARDEN_DEFAULT_FILE_MODE (0644)
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
    /// ABI 1.4: the user the process runs as, a name; empty = the host's
    /// default service user (and with none, the host's own user) [WP-SVC-3].
    std::string user;
    /// ABI 1.4: its group, a name; empty = the user's primary group.
    std::string group;
};

/// Who a service's process runs as on this host (see warden_service_account).
struct ServiceAccount {
    bool switched = false;  ///< the host switches to it; false: the host's own user and group
    uint32_t uid = 0;
    uint32_t gid = 0;
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
        out.exists = (s.flags & WARDEN_STATUS_EXISTS) != 0;
        out.supervised = (s.flags & WARDEN_STATUS_SUPERVISED) != 0;
        out.up = (s.flags & WARDEN_STATUS_UP) != 0;
        out.ready = (s.flags & WARDEN_STATUS_READY) != 0;
        out.want_up = (s.flags & WARDEN_STATUS_WANT_UP) != 0;
        out.normally_up = (s.flags & WARDEN_STATUS_NORMALLY_UP) != 0;
        out.finishing = (s.flags & WARDEN_STATUS_FINISHING) != 0;
        out.died = (s.flags & WARDEN_STATUS_DIED) != 0;
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
        return (exists ? WARDEN_STATUS_EXISTS : 0u) | (supervised ? WARDEN_STATUS_SUPERVISED : 0u) |
               (up ? WARDEN_STATUS_UP : 0u) | (ready ? WARDEN_STATUS_READY : 0u) |
               (want_up ? WARDEN_STATUS_WANT_UP : 0u) |
               (normally_up ? WARDEN_STATUS_NORMALLY_UP : 0u) |
               (finishing ? WARDEN_STATUS_FINISHING : 0u) | (died ? WARDEN_STATUS_DIED : 0u);
    }
};

enum class ServiceCommand : int32_t {
    start = WARDEN_CONTROL_START,
    stop = WARDEN_CONTROL_STOP,
    restart = WARDEN_CONTROL_RESTART,
    signal = WARDEN_CONTROL_SIGNAL,
    start_persist = WARDEN_CONTROL_START_PERSIST,
    stop_persist = WARDEN_CONTROL_STOP_PERSIST,
};

/// One request to a port the worker holds on 127.0.0.1 (see
/// warden_http_request) [WP-HTTP-1].
struct HttpRequest {
    /// "GET", "POST" or "PUT", in capitals; empty = "GET". A host older than
    /// ABI 1.3 refuses PUT (WARDEN_ERR_UNSUPPORTED): a plugin that sends it
    /// sets min_host_minor = 3.
    std::string method = "GET";
    uint32_t port = 0;
    std::string path = "/";    ///< begins with '/'
    std::string content_type;  ///< of body; empty = none sent
    std::string body;          ///< sent with POST or PUT; must be empty for GET
    /// 0 = WARDEN_DEFAULT_HTTP_TIMEOUT_MS; at most WARDEN_MAX_HTTP_TIMEOUT_MS.
    uint32_t timeout_ms = 0;
};

struct HttpResponse {
    int32_t status_code = 0;
    std::string body;
};

/// A program the host runs to completion for a worker (see warden_command)
/// [WP-CMD-1]: in a fresh private working directory, stdin /dev/null, with
/// the host's environment.
struct Command {
    std::vector<std::string> argv;   ///< argv[0] is an absolute path
    std::vector<ServiceFile> files;  ///< written into the command's private working dir
    /// 0 = WARDEN_DEFAULT_COMMAND_TIMEOUT_MS; at most WARDEN_MAX_COMMAND_TIMEOUT_MS.
    uint32_t timeout_ms = 0;
};

/// How a command ended.
struct CommandResult {
    int32_t exit_code = 0;
    int32_t signal = 0;
    std::string output;  ///< stdout and stderr together: the first WARDEN_MAX_COMMAND_OUTPUT_BYTES
    bool succeeded() const noexcept { return signal == 0 && exit_code == 0; }
};

/// What a figure is (see warden_figure.kind).
enum class FigureKind : int32_t {
    gauge = WARDEN_FIGURE_GAUGE,      ///< a reading that goes up and down: the latest one
    counter = WARDEN_FIGURE_COUNTER,  ///< a total that only grows while its process runs
};

/// One figure of a worker (ABI 1.5), the current value of one series: the
/// host exports it as warden_plugin_<type>_<name>{type, worker[, label]}
/// [WP-FIG-1].
struct Figure {
    std::string name;  ///< [a-z][a-z0-9_]{0,47}; a counter's ends in _total, a gauge's does not
    FigureKind kind = FigureKind::gauge;
    std::string help;  ///< one line of UTF-8, at most WARDEN_MAX_FIGURE_HELP_BYTES
    std::string
        label_name;  ///< empty = none; else [a-z][a-z0-9_]{0,31}, not type, worker, le, quantile
    std::string label_value;  ///< with a label name: 1 to WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES
    double value = 0;         ///< finite; a counter's is >= 0, its total
};

/// The host services, called with one context (the plugin's or a worker's).
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

    /// Whether this host offers the service operations (Warden's host does from ABI 1.1).
    bool offers_services() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, service_list) &&
               services_->service_create != nullptr && services_->service_observe != nullptr &&
               services_->service_control != nullptr && services_->service_remove != nullptr &&
               services_->service_list != nullptr;
    }

    /// Whether this host offers the HTTP probe (Warden's host does from ABI 1.2).
    bool offers_http_probe() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, http_probe) &&
               services_->http_probe != nullptr;
    }

    /// Whether this host offers port reservations (ABI 1.2).
    bool offers_ports() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, port_reserve) &&
               services_->port_reserve != nullptr;
    }

    /// Whether this host offers reading a service's log (ABI 1.2).
    bool offers_log_read() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, service_log_read) &&
               services_->service_log_read != nullptr;
    }

    /// Whether this host runs commands for a worker (ABI 1.2).
    bool offers_commands() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, command_run) &&
               services_->command_run != nullptr;
    }

    /// Whether this host runs services as a spec's user and group and says
    /// who a spec would run as (ABI 1.4): a 1.3 host reads neither field.
    bool offers_service_accounts() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, service_account) &&
               services_->service_account != nullptr &&
               WARDEN_ABI_MINOR(services_->abi_version) >= 4;
    }

    /// Whether this host takes a worker's figures (ABI 1.5).
    bool offers_figures() const noexcept {
        return services_ != nullptr &&
               WARDEN_HAS_FIELD(services_, warden_host_services, figure_publish) &&
               services_->figure_publish != nullptr &&
               WARDEN_ABI_MINOR(services_->abi_version) >= 5;
    }

    /// Sets the current value of one of this worker's figures [WP-FIG-1].
    /// Throws Error with the host's text for a figure its rules refuse
    /// (WARDEN_ERR_INVALID_ARGUMENT: a field, a kind, help or label name
    /// other than the name's in its worker type, a series past
    /// WARDEN_MAX_FIGURES_PER_WORKER), from a context that publishes none,
    /// and WARDEN_ERR_UNSUPPORTED on a host older than ABI 1.5 (check
    /// offers_figures() first to publish only where figures are taken).
    /// Never blocks; call it from collect or an action, not from next.
    void publish_figure(const Figure &figure) const {
        if (!offers_figures())
            throw Error(WARDEN_ERR_UNSUPPORTED, "publish figure '" + figure.name +
                                                    "': figures need a host speaking ABI 1.5 "
                                                    "or newer (host ABI " +
                                                    abi_text() + ")");
        warden_figure c = WARDEN_INIT(warden_figure);
        c.kind = static_cast<int32_t>(figure.kind);
        c.name = str(figure.name);
        c.help = str(figure.help);
        c.label_name = str(figure.label_name);
        c.label_value = str(figure.label_value);
        c.value = figure.value;
        const warden_status status = services_->figure_publish(ctx_, &c);
        if (status == WARDEN_OK) return;
        const std::string text = last_service_error();
        throw Error(status, text.empty() ? "publish figure '" + figure.name +
                                               "': " + warden_status_name(status)
                                         : text);
    }

    /// Creates the service, or updates it in place. A spec with a user or
    /// group throws WARDEN_ERR_UNSUPPORTED on a host older than ABI 1.4,
    /// which would run it as its own user without a word [WP-ABI-6].
    void create_service(const ServiceSpec &spec) const {
        require_services("create service");
        if ((!spec.user.empty() || !spec.group.empty()) && !offers_service_accounts())
            throw Error(WARDEN_ERR_UNSUPPORTED,
                        "create service '" + spec.name +
                            "': a user or group needs a host speaking ABI 1.4 or newer (host "
                            "ABI " +
                            abi_text() + ")");
        std::vector<warden_str> argv;
        for (const auto &a : spec.argv) argv.push_back(str(a));
        std::vector<warden_str> env;
        for (const auto &e : spec.env) env.push_back(str(e));
        const Files files(spec.files);
        warden_service_spec c = WARDEN_INIT(warden_service_spec);
        c.flags = spec.start_down ? WARDEN_SPEC_START_DOWN : 0u;
        c.name = str(spec.name);
        c.argv = argv.data();
        c.argc = argv.size();
        c.env = env.data();
        c.env_count = env.size();
        c.working_dir = str(spec.working_dir);
        c.files = files.pointers.data();
        c.file_count = files.pointers.size();
        c.notification_fd = spec.notification_fd;
        c.down_signal = spec.down_signal;
        c.kill_timeout_ms = spec.kill_timeout_ms;
        c.log_max_files = spec.log_max_files;
        c.log_max_file_bytes = spec.log_max_file_bytes;
        c.user = str(spec.user);
        c.group = str(spec.group);
        check(services_->service_create(ctx_, &c), "create service", spec.name);
    }

    /// Who the process of a service whose spec names `user` and `group`
    /// runs as on this host, settled as create_service settles it
    /// [WP-SVC-3]; throws Error naming the field for a name that breaks the
    /// rule or does not exist (WARDEN_ERR_INVALID_ARGUMENT), or that only a
    /// host running as root could switch to (WARDEN_ERR_NOT_PERMITTED). A
    /// host older than ABI 1.4 throws WARDEN_ERR_UNSUPPORTED.
    ServiceAccount service_account(std::string_view user, std::string_view group) const {
        require(offers_service_accounts(), "service account");
        warden_service_account a = WARDEN_INIT(warden_service_account);
        const warden_status status = services_->service_account(ctx_, str(user), str(group), &a);
        if (status != WARDEN_OK) {
            const std::string text = last_service_error();
            throw Error(status, text.empty()
                                    ? std::string("service account: ") + warden_status_name(status)
                                    : text);
        }
        return ServiceAccount{(a.flags & WARDEN_ACCOUNT_SWITCHED) != 0, a.uid, a.gid};
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
        check(services_->service_remove(ctx_, str(name), delete_logs ? WARDEN_REMOVE_LOGS : 0u),
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

    /// Sends `request` and returns the answer, any HTTP status included;
    /// throws Error for a refused connection, a timeout or a refusal.
    HttpResponse http(const HttpRequest &request) const {
        require(offers_http_probe(), "http probe");
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

    /// The port on 127.0.0.1 reserved for this worker's `purpose` (e.g.
    /// "http"): the same one on every call and across host restarts.
    /// `requested` = 0 lets the host choose (or keeps the port already
    /// reserved); another port moves the reservation there [WP-PORT-1]. A
    /// port another worker holds throws Error(WARDEN_ERR_CONFLICT) naming it.
    uint32_t reserve_port(std::string_view purpose, uint32_t requested = 0) const {
        require(offers_ports(), "reserve port");
        uint32_t port = 0;
        check(services_->port_reserve(ctx_, str(purpose), requested, &port), "reserve port",
              purpose);
        return port;
    }

    /// The last `max_lines` lines (0 = WARDEN_DEFAULT_LOG_LINES, 100) of one of this
    /// worker's services' log, oldest first, each as s6-log wrote it
    /// [WP-LOG-1]. Empty when the service has logged nothing yet.
    std::vector<std::string> read_log(std::string_view service, uint32_t max_lines = 0) const {
        require(offers_log_read(), "read log");
        Receiver<std::vector<std::string>> lines;
        check(services_->service_log_read(ctx_, str(service), max_lines,
                                          &append_to<std::vector<std::string>>, &lines),
              "read log", service);
        return received(std::move(lines), "read log");
    }

    /// Runs `command` to completion [WP-CMD-1] and returns how it ended,
    /// whatever its exit code. Throws Error when it could not run or did not
    /// end by itself: WARDEN_ERR_NOT_FOUND (argv[0] cannot be run),
    /// WARDEN_ERR_TIMEOUT, WARDEN_ERR_CANCELLED (`cancel` asked). Call it
    /// from an action or check_config, never from next: it blocks.
    CommandResult run_command(const Command &command, const Cancel &cancel) const {
        return run(command, cancel.handle());
    }
    CommandResult run_command(const Command &command) const { return run(command, nullptr); }

    /// The text of the last failed host service on this thread.
    std::string last_service_error() const {
        Receiver<std::string> text;
        if (services_ != nullptr && services_->last_service_error != nullptr)
            services_->last_service_error(ctx_, &append_to<std::string>, &text);
        return std::move(text.out);
    }

private:
    // The C view of a list of files, valid while `from` lives.
    struct Files {
        explicit Files(const std::vector<ServiceFile> &from) {
            structs.reserve(from.size());
            for (const auto &f : from) {
                warden_service_file c = WARDEN_INIT(warden_service_file);
                c.path = str(f.path);
                c.content = str(f.content);
                c.mode = f.mode;
                structs.push_back(c);
            }
            for (const auto &c : structs) pointers.push_back(&c);
        }
        Files(const Files &) = delete;
        Files &operator=(const Files &) = delete;
        std::vector<warden_service_file> structs;
        std::vector<const warden_service_file *> pointers;
    };

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

    void require(bool offered, const char *what) const {
        if (!offered)
            throw Error(
                WARDEN_ERR_UNSUPPORTED,
                std::string(what) + ": this host does not offer it (host ABI " + abi_text() + ")");
    }

    CommandResult run(const Command &command, const warden_cancel *cancel) const {
        require(offers_commands(), "run command");
        std::vector<warden_str> argv;
        argv.reserve(command.argv.size());
        for (const auto &a : command.argv) argv.push_back(str(a));
        const Files files(command.files);
        warden_command c = WARDEN_INIT(warden_command);
        c.argv = argv.data();
        c.argc = argv.size();
        c.files = files.pointers.data();
        c.file_count = files.pointers.size();
        c.timeout_ms = command.timeout_ms;
        warden_command_result r = WARDEN_INIT(warden_command_result);
        Receiver<std::string> output;
        check(services_->command_run(ctx_, &c, cancel, &r, &append_to<std::string>, &output),
              "run command", command.argv.empty() ? std::string_view() : command.argv[0]);
        return CommandResult{r.exit_code, r.signal, received(std::move(output), "run command")};
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

}  // namespace warden

#endif  // WARDEN_HOST_HPP
