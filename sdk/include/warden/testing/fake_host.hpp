// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_host.hpp — a host for a plugin's own unit tests.
//
// FakeHost implements every slot of warden_host_services (ABI 1.5) in memory:
// logging (captured), errors, a clock the test moves, JSON and decision
// sinks, cancellation, the service operations and service logs on an
// in-memory s6 (FakeS6), an HTTP probe that answers from routes the test
// sets, each a fixed answer or a handler (FakeHttp), port reservations
// (FakePorts), commands answered by a handler the test sets
// (FakeCommands), who services run as, against accounts the test sets
// (FakeAccounts; the fake host plays root unless told otherwise), and the
// figures workers publish (FakeFigures). To drive a worker through its
// hooks, see warden/testing/fake_worker.hpp.
//
// It applies the host's own rules, from the same code: the table check at
// load and the decision check at next (warden/validation.hpp), and every
// rule a host service applies before it does anything (warden/host_rules.hpp):
// texts and sizes, the one-JSON-object check, the service scope (the most
// specific worker owns a name), spec, command, flag, HTTP, port and command
// checks, who a service runs as, and the figure rules, all in the host's
// words. It is still a
// fake: no process runs, no port is bound, no file is written and no
// account is looked up on the machine.
//
// This header is the one to include; it puts together its parts, each
// readable on its own:
//   fake_context.hpp   contexts, per-thread error texts, the audit list
//   fake_sinks.hpp     logging, errors, the clock, the sinks, cancellation
//   fake_services.hpp  the service slots, log reads and service accounts, on
//                      fake_s6.hpp and fake_accounts.hpp
//   fake_http.hpp      the HTTP probe and its routes
//   fake_ports.hpp     port reservations
//   fake_commands.hpp  commands and their handler
//   fake_figures.hpp   published figures
//
// Like Warden's host of this release it offers every slot;
// remove_service_slots() makes it a host without the service, HTTP, port,
// log, command, account and figure slots, and speak_abi_minor() one of an
// earlier minor version, whose table ends before the slots it lacks.
//
// THREADING: a FakeHost is meant for one test thread; the services table it
// hands out is safe to call from any thread. The clock slots take no context:
// they read the most recently made FakeHost's clock.
// OWNERSHIP: the FakeHost owns every context it makes; it must outlive the
// FakeWorkers made from it.
#ifndef WARDEN_TESTING_FAKE_HOST_HPP
#define WARDEN_TESTING_FAKE_HOST_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_accounts.hpp>
#include <warden/testing/fake_commands.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/testing/fake_figures.hpp>
#include <warden/testing/fake_http.hpp>
#include <warden/testing/fake_ports.hpp>
#include <warden/testing/fake_s6.hpp>
#include <warden/testing/fake_services.hpp>
#include <warden/testing/fake_sinks.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

class FakeHost {
public:
    FakeHost() {
        parts_.log = &log_;
        parts_.clock = &clock_;
        parts_.services = &services_;
        parts_.http = &http_;
        parts_.ports = &ports_;
        parts_.commands = &commands_;
        parts_.figures = &figures_;
        parts_.audit = &audit_;
        plugin_ctx_ = add_context("plugin", "", "");
        table_ = warden_struct_init<warden_host_services>();
        table_.abi_version = WARDEN_ABI_VERSION;
        table_.log_enabled = &fake_detail::log_enabled;
        table_.log_write = &fake_detail::log_write;
        table_.set_error = &fake_detail::set_error;
        table_.last_service_error = &fake_detail::last_service_error;
        table_.monotonic_ns = &fake_detail::monotonic_ns;
        table_.wall_ns = &fake_detail::wall_ns;
        table_.json_sink_write = &fake_detail::json_sink_write;
        table_.decision_submit = &fake_detail::decision_submit;
        table_.cancel_requested = &fake_detail::cancel_requested;
        table_.cancel_deadline_ns = &fake_detail::cancel_deadline_ns;
        table_.service_create = &fake_detail::service_create;
        table_.service_observe = &fake_detail::service_observe;
        table_.service_control = &fake_detail::service_control;
        table_.service_remove = &fake_detail::service_remove;
        table_.service_list = &fake_detail::service_list;
        table_.http_probe = &fake_detail::http_probe;
        table_.port_reserve = &fake_detail::port_reserve;
        table_.service_log_read = &fake_detail::service_log_read;
        table_.command_run = &fake_detail::command_run;
        table_.service_account = &fake_detail::service_account;
        table_.figure_publish = &fake_detail::figure_publish;
    }
    ~FakeHost() { unload(); }
    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    const warden_host_services *services() const { return &table_; }
    warden_host_ctx *plugin_context() { return fake_detail::handle(plugin_ctx_); }

    /// Makes this host one that offers no service operations, HTTP probe,
    /// port reservations, log reads, commands, service accounts or figures,
    /// as Warden's first host. It still announces this SDK's ABI version.
    void remove_service_slots() {
        table_.figure_publish = nullptr;
        table_.service_account = nullptr;
        table_.service_create = nullptr;
        table_.service_observe = nullptr;
        table_.service_control = nullptr;
        table_.service_remove = nullptr;
        table_.service_list = nullptr;
        table_.http_probe = nullptr;
        table_.port_reserve = nullptr;
        table_.service_log_read = nullptr;
        table_.command_run = nullptr;
    }

    /// Makes this host speak ABI 1.`minor`, an earlier minor than this
    /// SDK's: it announces that version, and its table ends after the last
    /// slot that minor has, as an older host's does (a 1.4 host's before
    /// figure_publish) [WP-ABI-3]. What an older host did otherwise within
    /// its slots (a 1.2 host refusing PUT) is not played; the slots a 1.0
    /// host leaves NULL are remove_service_slots()'.
    void speak_abi_minor(uint32_t minor) {
        table_.abi_version = WARDEN_MAKE_ABI_VERSION(WARDEN_ABI_VERSION_MAJOR, minor);
        std::size_t size = sizeof(warden_host_services);
        if (minor < 5) size = offsetof(warden_host_services, figure_publish);
        if (minor < 4) size = offsetof(warden_host_services, service_account);
        if (minor < 2) size = offsetof(warden_host_services, port_reserve);
        table_.struct_size = static_cast<uint32_t>(size);
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
            const warden_status status = plugin->init(&table_, plugin_context());
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

    void set_log_level(Level level) { log_.set_level(level); }
    std::vector<LogLine> logs() const { return log_.lines(); }
    /// Whether some line at `level` or above contains `needle`.
    bool logged(std::string_view needle, Level level = Level::trace) const {
        for (const auto &line : log_.lines())
            if (line.level >= level && line.message.find(needle) != std::string::npos) return true;
        return false;
    }

    // ---- clock ------------------------------------------------------------

    int64_t now_ns() const { return clock_.monotonic_ns(); }
    int64_t wall_now_ns() const { return clock_.wall_ns(); }
    void advance(int64_t ns) { clock_.advance(ns); }

    // ---- services (on the fake s6) -----------------------------------------

    FakeS6 &s6() { return services_.s6; }
    bool has_service(const std::string &name) const { return services_.s6.has(name); }
    FakeService service(const std::string &name) const { return services_.s6.get(name); }
    void update_service(const std::string &name, const std::function<void(FakeService &)> &change) {
        services_.s6.update(name, change);
    }
    /// The process exited with `exit_code`; s6 will start it again.
    void crash_service(const std::string &name, int32_t exit_code) {
        services_.s6.crash(name, exit_code, wall_now_ns());
    }
    /// s6 started the service's process again.
    void revive_service(const std::string &name) { services_.s6.revive(name, wall_now_ns()); }

    /// Every service operation, probe, reservation and command, as the real
    /// host's audit stream would show it: "<type>/<name> <operation>
    /// <subject> <status>".
    std::vector<std::string> audit() const { return audit_.lines(); }

    /// The service's log as s6-log would have written it (each line without
    /// its newline; the real host hands them over with s6-log's timestamp).
    void set_log(const std::string &service, std::vector<std::string> lines) {
        services_.s6.set_log(service, std::move(lines));
    }
    void append_log(const std::string &service, std::string line) {
        services_.s6.append_log(service, std::move(line));
    }

    // ---- service accounts -----------------------------------------------------

    /// Who the fake host is: its uid and gid with their names, and its
    /// default service user. Root (0, "root") with none unless set here, so
    /// a spec's user is switched to; a host that is not root refuses any
    /// other user than its own, as the host does.
    void set_host_account(rules::HostAccount host) { services_.accounts.set_host(std::move(host)); }
    rules::HostAccount host_account() const { return services_.accounts.host(); }
    /// The users and groups the fake host knows: root and nobody, root and
    /// nogroup, and what the test adds (add_user, add_group).
    FakeAccounts &accounts() { return services_.accounts.directory(); }

    // ---- HTTP ---------------------------------------------------------------

    /// Answer requests for `path` on `port` with `response`, whatever their method.
    void serve_http(uint32_t port, const std::string &path, HttpResponse response) {
        http_.serve(port, path, std::move(response));
    }
    /// Answer requests for `path` on `port` from `handler`, which sees each
    /// one whole: method ("GET", "POST" or "PUT"), path, content type and
    /// body. See warden/testing/fake_http.hpp.
    void on_http(uint32_t port, const std::string &path,
                 std::function<HttpResponse(const HttpRequest &)> handler) {
        http_.handle(port, path, std::move(handler));
    }
    /// Requests for `path` on `port` get no answer: WARDEN_ERR_TIMEOUT.
    void http_timeout(uint32_t port, const std::string &path) { http_.time_out(port, path); }
    /// Nothing listens on `port` any more, as when its process is down:
    /// every request to it is refused until routes are served again.
    void stop_http(uint32_t port) { http_.stop(port); }

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

    // ---- figures --------------------------------------------------------------

    /// Every series workers published and the host would export now, sorted
    /// by exported name (warden_plugin_<type>_<name>), worker, label value.
    std::vector<PublishedFigure> figures() const { return figures_.figures(); }
    /// The series worker `type`/`worker` published as `name` (with
    /// `label_value` for a figure with a label), if any.
    std::optional<PublishedFigure> figure(const std::string &type, const std::string &worker,
                                          const std::string &name,
                                          const std::string &label_value = {}) const {
        return figures_.figure(type, worker, name, label_value);
    }
    /// Drops worker `type`/`worker`'s figures, as removing it from the
    /// config does.
    void forget_figures(const std::string &type, const std::string &worker) {
        figures_.forget(type, worker);
    }

    // ---- contexts -----------------------------------------------------------

    /// A context for worker `type`/`name` (or, with empty names, a plugin),
    /// owned by this host. A worker exists, for the scope of service names,
    /// from its first context until release_context: with workers web and
    /// web-2, exec-web-2 is web-2's, not web's.
    fake_detail::Context *make_context(std::string label, std::string type, std::string name) {
        fake_detail::Context *c = add_context(std::move(label), type, name);
        if (!type.empty()) services_.scope.attach(std::move(type), std::move(name));
        return c;
    }

    /// Ends what make_context began: the worker no longer owns service names
    /// (as when the host destroys it). The context is not to be used again.
    void release_context(fake_detail::Context *c) {
        if (c == nullptr || c->parts == nullptr) return;
        if (!c->type.empty() && c->offers_services) services_.scope.detach(c->type, c->name);
        c->parts = nullptr;
        c->host = nullptr;
    }

    /// A context like the one the host hands derive_desired_state: a worker
    /// that owns no services and holds no ports (service operations are
    /// unsupported, port reservations and figures too, probes not permitted).
    fake_detail::Context *make_derive_context(const std::string &type, const std::string &name) {
        fake_detail::Context *c = add_context(type + "/" + name, type, name);
        c->offers_services = false;
        c->offers_ports = false;
        c->offers_figures = false;
        return c;
    }

    /// A context for checking worker `type`/`name`'s config, as
    /// `warden --check-config` makes one: no service operations or figures,
    /// and the ports it reserves are checked against the reservations this
    /// host holds (hold_port plays the other workers of the checked file)
    /// and not kept.
    fake_detail::Context *make_check_context(const std::string &type, const std::string &name) {
        fake_detail::Context *c = add_context(type + "/" + name, type, name);
        c->offers_services = false;
        c->offers_figures = false;
        c->check_ports = std::make_unique<FakePorts>(ports_);
        return c;
    }

private:
    fake_detail::Context *add_context(std::string label, std::string type, std::string name) {
        auto c = std::make_unique<fake_detail::Context>();
        c->host = this;
        c->label = std::move(label);
        c->type = std::move(type);
        c->name = std::move(name);
        c->parts = &parts_;
        std::lock_guard<std::mutex> lock(mutex_);
        contexts_.push_back(std::move(c));
        return contexts_.back().get();
    }

    FakeLog log_;
    FakeClock clock_;
    FakeServices services_;
    FakeHttp http_;
    FakePorts ports_;
    FakeCommands commands_;
    FakeFigures figures_;
    fake_detail::FakeAudit audit_;
    fake_detail::Parts parts_;
    warden_host_services table_{};
    std::mutex mutex_;
    std::vector<std::unique_ptr<fake_detail::Context>> contexts_;
    fake_detail::Context *plugin_ctx_ = nullptr;
    const warden_plugin *plugin_ = nullptr;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_HOST_HPP
