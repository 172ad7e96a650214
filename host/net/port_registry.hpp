// SPDX-License-Identifier: Apache-2.0
// host/net/port_registry.hpp — which TCP port on 127.0.0.1 each worker
// uses for what, the host's side of the port_reserve slot [WP-PORT-1].
//
// A reservation is (worker type, worker name, purpose) -> port. The same
// worker and purpose get the same port on every call; a port belongs to one
// reservation at most. A request for a given port moves the worker's
// reservation there, unless another reservation holds it (a conflict that
// names the holder). Without a request the registry picks the lowest port
// of its range that nobody holds and that can be bound on 127.0.0.1 now.
//
// A registry opened on a file keeps it up to date: every change is written
// to a temporary file, synced and renamed over it, so the file is always
// whole and reservations survive host restarts. A change that cannot be
// written is undone and reported. Lookups that change nothing (the common
// case: a worker asks again on every observation) take the lock, look in a
// map, and return.
//
// File format, one reservation per line, '#' lines are comments:
//     <port> <type>/<name> <purpose>
//
// THREADING: every method is thread-safe.
// OWNERSHIP: the host owns it; worker contexts point to it.
#pragma once

#include "common/result.hpp"

#include <warden/plugin.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace warden::host {

/// Where an automatic reservation comes from, inclusive.
struct PortRange {
    uint32_t first = WARDEN_DEFAULT_PORT_RANGE_FIRST;
    uint32_t last = WARDEN_DEFAULT_PORT_RANGE_LAST;
};

struct PortReservation {
    uint32_t port = 0;
    std::string type;
    std::string name;
    std::string purpose;
};

class PortRegistry {
public:
    /// A registry kept in memory only (as for `warden --check-config`).
    explicit PortRegistry(PortRange range = {});

    /// A registry kept in `file`: loads it when it exists. A file that
    /// cannot be read or does not parse is an error naming it and the line.
    static Result<std::unique_ptr<PortRegistry>> open(const std::filesystem::path &file,
                                                      PortRange range = {});

    PortRegistry(const PortRegistry &) = delete;
    PortRegistry &operator=(const PortRegistry &) = delete;

    /// The port for worker `type`/`name` and `purpose` ([a-z][a-z0-9_]{0,31}).
    /// `requested` 0: its reservation, or a new one from the range;
    /// otherwise that port (conflict when another reservation holds it).
    Result<uint32_t> reserve(std::string_view type, std::string_view name, std::string_view purpose,
                             uint32_t requested);

    /// Drops every reservation of worker `type`/`name`; returns the ports
    /// it held (none: nothing changed, nothing written).
    Result<std::vector<uint32_t>> release_worker(std::string_view type, std::string_view name);

    /// Every reservation, by port.
    std::vector<PortReservation> reservations() const;

    /// Whether worker `type`/`name` holds `port` (for any purpose).
    bool holds(std::string_view type, std::string_view name, uint32_t port) const;

    /// The file it is kept in; empty for a registry in memory.
    const std::filesystem::path &file() const { return file_; }

private:
    PortRegistry(std::filesystem::path file, PortRange range);

    struct Owner {
        std::string type, name, purpose;
    };
    // (type, name, purpose), comparable with string_views so a lookup builds
    // no strings.
    using Key = std::tuple<std::string, std::string, std::string>;
    using KeyView = std::tuple<std::string_view, std::string_view, std::string_view>;
    struct KeyLess {
        using is_transparent = void;
        static KeyView view(const Key &k) {
            return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
        }
        static const KeyView &view(const KeyView &k) { return k; }
        template <typename A, typename B>
        bool operator()(const A &a, const B &b) const {
            return view(a) < view(b);
        }
    };

    Result<void> load();
    Result<void> save() const;

    const std::filesystem::path file_;
    const PortRange range_;
    mutable std::mutex mutex_;
    std::map<Key, uint32_t, KeyLess> ports_;  // by worker and purpose
    std::map<uint32_t, Owner> owners_;        // by port
};

/// Whether a server could listen on 127.0.0.1:`port` now: bind (as servers
/// do, with SO_REUSEADDR, so a port left in TIME_WAIT counts as free) and close.
bool port_bindable(uint32_t port);

/// Whether `purpose` is [a-z][a-z0-9_]{0,31}.
bool valid_port_purpose(std::string_view purpose);

}  // namespace warden::host
