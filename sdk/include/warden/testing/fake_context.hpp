// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_context.hpp — what the fake host's contexts are, and
// what every part of it shares: per-thread error texts and the audit list.
//
// A warden_host_ctx the fake host hands out points to a fake_detail::Context:
// who calls (a worker's type and name, or neither for the plugin), which
// slots the context offers (a derive_desired_state context offers no service
// operation and no port, a check_config context no service operation, as on
// the host; neither publishes figures), and the parts of the fake host its
// calls go to (Parts). Each part (fake_sinks.hpp, fake_services.hpp,
// fake_http.hpp, fake_ports.hpp, fake_commands.hpp, fake_figures.hpp) reads
// only its own entry of Parts. The rules every slot
// applies first are the host's own, from warden/host_rules.hpp.
//
// THREADING: the error texts are per thread, as on the host [WP-ERR-2]; the
// audit list is thread-safe.
// OWNERSHIP: the FakeHost owns its contexts and its parts.
#ifndef WARDEN_TESTING_FAKE_CONTEXT_HPP
#define WARDEN_TESTING_FAKE_CONTEXT_HPP

#include <warden/plugin.h>
#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

class FakeClock;
class FakeCommands;
class FakeFigures;
class FakeHost;
class FakeHttp;
class FakeLog;
class FakePorts;
class FakeServices;

namespace fake_detail {

/// Every service operation, HTTP probe, port reservation and command, as the
/// host's audit stream would show it: "<type>/<name> <operation> <subject>
/// <status>".
class FakeAudit {
public:
    void record(std::string_view type, std::string_view name, std::string_view operation,
                std::string_view subject, warden_status status) {
        std::string line;
        line.append(type).append("/").append(name).append(" ").append(operation).append(" ");
        line.append(printable(subject, 80)).append(" ").append(warden_status_name(status));
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(std::move(line));
    }
    std::vector<std::string> lines() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// The parts of one fake host, where its contexts' calls go.
struct Parts {
    FakeLog *log = nullptr;
    FakeClock *clock = nullptr;
    FakeServices *services = nullptr;
    FakeHttp *http = nullptr;
    FakePorts *ports = nullptr;
    FakeCommands *commands = nullptr;
    FakeFigures *figures = nullptr;
    FakeAudit *audit = nullptr;
};

/// What a fake warden_host_ctx points to.
struct Context {
    FakeHost *host = nullptr;  // the host that made it
    std::string label;         // "plugin <name>" or "<type>/<name>"
    std::string type;          // empty for the plugin's own context
    std::string name;
    // A config check's context: its reservations go here and are not kept.
    std::unique_ptr<FakePorts> check_ports;
    const Parts *parts = nullptr;  // null once the context may no longer be used
    bool offers_services = true;   // false: service operations are unsupported
    bool offers_ports = true;      // false: made without a port registry
    bool offers_figures = true;    // false: made for derive_desired_state or check_config

    rules::Caller caller() const { return rules::Caller{label, type, name}; }
    /// The reservations this context's calls see.
    FakePorts &ports() const { return check_ports ? *check_ports : *parts->ports; }
};

inline Context *ctx(warden_host_ctx *c) {
    return reinterpret_cast<Context *>(c);
}
inline const Context *ctx(const warden_host_ctx *c) {
    return reinterpret_cast<const Context *>(c);
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

/// Leaves `text` for last_service_error and returns `status`.
inline warden_status service_failed(warden_status status, std::string text) {
    service_error() = std::move(text);
    return status;
}

/// What a slot returns for the outcome of a rule: the refusal's status and
/// text, or WARDEN_OK with the thread's text cleared.
inline warden_status answer(rules::Refusal refusal) {
    service_error() = std::move(refusal.text);
    return refusal.status;
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_CONTEXT_HPP
