// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_ports.hpp — the in-memory port reservations behind the
// fake host's port_reserve slot, and the slot.
//
// FakePorts keeps the host's rules [WP-PORT-1], in its words
// (warden/host_rules.hpp): a reservation belongs to one worker (type and
// name) and one purpose; the same worker and purpose get the same port on
// every call; a requested port moves the reservation there; a port is never
// reserved twice (WARDEN_ERR_CONFLICT, naming both workers); with nothing
// requested and nothing reserved, the lowest free port of the host's range
// (WARDEN_DEFAULT_PORT_RANGE_FIRST to _LAST) is chosen. Tests play other
// workers with hold(). The slot checks the caller first: a plugin has no
// ports, a derive_desired_state context no registry.
//
// Nothing is bound: no socket is opened.
// THREADING: every method is thread-safe.
#ifndef WARDEN_TESTING_FAKE_PORTS_HPP
#define WARDEN_TESTING_FAKE_PORTS_HPP

#include <warden/plugin.h>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/validation.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace warden::testing {

class FakePorts {
public:
    static constexpr uint32_t kFirstChosenPort = WARDEN_DEFAULT_PORT_RANGE_FIRST;
    static constexpr uint32_t kLastChosenPort = WARDEN_DEFAULT_PORT_RANGE_LAST;

    /// What one reservation gave: a port, or a status and the host's text.
    struct Outcome {
        warden_status status = WARDEN_OK;
        uint32_t port = 0;
        std::string error;
    };

    FakePorts() = default;
    /// A copy to answer a config check in: what it reserves is not kept.
    FakePorts(const FakePorts &other) {
        std::lock_guard<std::mutex> lock(other.mutex_);
        by_owner_ = other.by_owner_;
        by_port_ = other.by_port_;
    }
    FakePorts &operator=(const FakePorts &) = delete;

    /// Reserves a port for `purpose` of worker `type`/`name`: `requested`, or
    /// with 0 the port it already holds or the lowest free one.
    Outcome reserve(const std::string &type, const std::string &name, const std::string &purpose,
                    uint32_t requested) {
        if (rules::Refusal bad = rules::port_value_problem(purpose, requested))
            return {bad.status, 0, std::move(bad.text)};
        std::lock_guard<std::mutex> lock(mutex_);
        const Owner owner{type, name, purpose};
        const auto held = by_owner_.find(owner);
        if (requested == 0 && held != by_owner_.end()) return {WARDEN_OK, held->second, {}};
        uint32_t port = requested;
        if (port == 0) {
            for (uint32_t p = kFirstChosenPort; p <= kLastChosenPort && port == 0; ++p)
                if (by_port_.count(p) == 0) port = p;
            if (port == 0)
                return {WARDEN_ERR, 0,
                        rules::no_free_port_text(kFirstChosenPort, kLastChosenPort,
                                                 type + "/" + name, purpose)};
        }
        const auto taken = by_port_.find(port);
        if (taken != by_port_.end() && taken->second != owner) {
            const auto &[t, n, p] = taken->second;
            return {WARDEN_ERR_CONFLICT, 0,
                    port_conflict_text(port, t + "/" + n, p, type + "/" + name, purpose)};
        }
        if (held != by_owner_.end()) by_port_.erase(held->second);
        by_owner_[owner] = port;
        by_port_[port] = owner;
        return {WARDEN_OK, port, {}};
    }

    /// Plays another worker holding `port` for `purpose`, replacing what
    /// that worker held for it. Throws std::logic_error if someone else
    /// holds the port: the test set up a conflict the host never allows.
    void hold(std::string type, std::string name, std::string purpose, uint32_t port) {
        std::lock_guard<std::mutex> lock(mutex_);
        Owner owner{std::move(type), std::move(name), std::move(purpose)};
        const auto taken = by_port_.find(port);
        if (taken != by_port_.end() && taken->second != owner)
            throw std::logic_error("hold_port: port " + std::to_string(port) +
                                   " is already reserved by " + std::get<0>(taken->second) + "/" +
                                   std::get<1>(taken->second));
        const auto held = by_owner_.find(owner);
        if (held != by_owner_.end()) by_port_.erase(held->second);
        by_owner_[owner] = port;
        by_port_[port] = std::move(owner);
    }

    /// The port reserved for `purpose` of worker `type`/`name`, if any.
    std::optional<uint32_t> reserved(const std::string &type, const std::string &name,
                                     const std::string &purpose) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = by_owner_.find(Owner{type, name, purpose});
        if (it == by_owner_.end()) return std::nullopt;
        return it->second;
    }

    /// Ends every reservation of worker `type`/`name`, as the host does when
    /// the worker is removed from the config.
    void release(const std::string &type, const std::string &name) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = by_owner_.begin(); it != by_owner_.end();) {
            if (std::get<0>(it->first) == type && std::get<1>(it->first) == name) {
                by_port_.erase(it->second);
                it = by_owner_.erase(it);
            } else {
                ++it;
            }
        }
    }

    /// Whether worker `type`/`name` holds `port` (for any purpose).
    bool holds(const std::string &type, const std::string &name, uint32_t port) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = by_port_.find(port);
        return it != by_port_.end() && std::get<0>(it->second) == type &&
               std::get<1>(it->second) == name;
    }

private:
    using Owner = std::tuple<std::string, std::string, std::string>;  // type, name, purpose

    std::map<Owner, uint32_t> by_owner_;
    std::map<uint32_t, Owner> by_port_;
    mutable std::mutex mutex_;
};

namespace fake_detail {

inline warden_status port_reserve(warden_host_ctx *c, warden_str purpose, uint32_t requested,
                                  uint32_t *out_port) {
    if (c == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT, "port_reserve: NULL context");
    const Context &caller = *ctx(c);
    const std::string what(rules::text_of(purpose));
    FakePorts::Outcome got;
    if (rules::Refusal bad =
            rules::port_caller_problem(caller.caller(), caller.offers_ports, out_port))
        got = {bad.status, 0, std::move(bad.text)};
    else
        got = caller.ports().reserve(caller.type, caller.name, what, requested);
    caller.parts->audit->record(caller.type, caller.name, "port_reserve", what, got.status);
    if (got.status != WARDEN_OK) return service_failed(got.status, std::move(got.error));
    *out_port = got.port;
    service_error().clear();
    return WARDEN_OK;
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_PORTS_HPP
