// SPDX-License-Identifier: Apache-2.0
// host/s6/status_cache.hpp — what S6Client::observe decoded of a service,
// kept while nothing changed, so that observing a settled service costs no
// system call.
//
// Every change s6 makes to a service is an inotify event on the
// directories ServiceWatch watches (docs/s6.md, "Watching a service"):
// s6-supervise renames supervise/status.new over supervise/status on every
// change of state, writes the death tally before it, creates and removes
// the `down` file in the service dir; and when it dies, even by SIGKILL,
// the kernel closes supervise/lock, which it holds open for writing: an
// IN_CLOSE_WRITE there. So a status read once both watches of its service
// (the service dir and its supervise/ dir) were in place stays true until
// the watch reports the service again. The rules:
//
//   - Kept only for a service whose watch is established (watched), and
//     only a read begun after that: each read takes a ticket first, and
//     every event, watched() included, starts a new generation for the
//     service, so a read begun before it is never kept (its ticket is old).
//   - Dropped on any event for the service (changed), an overflow of the
//     kernel's queue (changed_all), the watch lost (unwatched: the dir went)
//     or gone (unwatched_all).
//   - The S6Client drops a service itself after each command it sent and
//     each create or remove: the event may reach the watch thread after the
//     caller's next observe, and an action's effect must show in the
//     observation after it.
//   - Whatever is kept is read again once it is max_age old all the same
//     (default 60 s): a bound on a status wrong in a way no event tells.
//
// The entry is the decoded ServiceStatus: its times are stamps (since_ns,
// ready_since_ns), so an uptime derived from them when read stays right.
//
// OWNERSHIP: owned by its S6Client; ServiceWatch is handed a reference and
// must not outlive it.
// THREADING: every method is thread-safe (one mutex, held only for a map
// lookup or update).
#pragma once

#include "s6/service_status.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace warden::host {

class StatusCache {
public:
    /// How long a kept status is used at most.
    static constexpr std::chrono::seconds kDefaultMaxAge{60};

    explicit StatusCache(std::chrono::nanoseconds max_age = kDefaultMaxAge)
        : max_age_ns_(max_age.count()) {}
    StatusCache(const StatusCache &) = delete;
    StatusCache &operator=(const StatusCache &) = delete;

    /// What a read of a service's files stores with: taken before the read.
    struct Ticket {
        uint64_t generation = 0;  ///< 0: the service is not watched; nothing is kept
    };

    /// The kept status of `service` at monotonic time `now_ns`, when there is
    /// a valid one. Otherwise nothing, and `ticket` is what a read begun now
    /// stores with.
    std::optional<ServiceStatus> find(std::string_view service, int64_t now_ns, Ticket &ticket);
    /// Keeps `status`, read at `now_ns` with `ticket`, unless something
    /// happened to the service since the ticket was taken.
    void store(std::string_view service, const Ticket &ticket, const ServiceStatus &status,
               int64_t now_ns);

    // The watch's side.

    /// Both watches of `service` are in place: from now on its changes are seen.
    void watched(std::string_view service);
    /// Its watch is gone (the directory went): nothing is kept for it.
    void unwatched(std::string_view service);
    /// An event for `service`: what was kept is dropped.
    void changed(std::string_view service);
    /// The kernel's queue overflowed: every service may have changed.
    void changed_all();
    /// The watch stopped: nothing is watched any more.
    void unwatched_all();

    /// How many services are watched; how many of them have a status kept.
    std::size_t watched_count() const;
    std::size_t kept_count() const;

private:
    struct Entry {
        uint64_t generation = 0;  // of the last event, watched() included
        bool kept = false;
        uint64_t kept_generation = 0;
        int64_t kept_at_ns = 0;
        ServiceStatus status;
    };

    const int64_t max_age_ns_;
    mutable std::mutex mutex_;
    uint64_t next_generation_ = 1;  // one counter for all: a generation is never reused
    // The watched services. Hashed: with thousands, an ordered map's walk
    // through cold nodes costs an observe more than the rest of it.
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace warden::host
