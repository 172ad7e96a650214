// SPDX-License-Identifier: Apache-2.0
// host/s6/status_cache.cpp
#include "s6/status_cache.hpp"

namespace warden::host {

std::optional<ServiceStatus> StatusCache::find(std::string_view service, int64_t now_ns,
                                               Ticket &ticket) {
    const std::string key(service);  // before the lock
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) {
        ticket.generation = 0;
        return std::nullopt;
    }
    const Entry &e = it->second;
    if (e.kept && e.kept_generation == e.generation && now_ns - e.kept_at_ns < max_age_ns_)
        return e.status;
    ticket.generation = e.generation;
    return std::nullopt;
}

void StatusCache::store(std::string_view service, const Ticket &ticket, const ServiceStatus &status,
                        int64_t now_ns) {
    if (ticket.generation == 0) return;
    const std::string key(service);  // before the lock
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != ticket.generation) return;
    Entry &e = it->second;
    e.kept = true;
    e.kept_generation = ticket.generation;
    e.kept_at_ns = now_ns;
    e.status = status;
}

void StatusCache::watched(std::string_view service) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(std::string(service));
    if (it == entries_.end()) it = entries_.emplace(std::string(service), Entry{}).first;
    it->second.generation = next_generation_++;
    it->second.kept = false;
}

void StatusCache::unwatched(std::string_view service) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = entries_.find(std::string(service)); it != entries_.end())
        entries_.erase(it);
}

void StatusCache::changed(std::string_view service) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = entries_.find(std::string(service)); it != entries_.end()) {
        it->second.generation = next_generation_++;
        it->second.kept = false;
    }
}

void StatusCache::changed_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto &[service, e] : entries_) {
        e.generation = next_generation_++;
        e.kept = false;
    }
}

void StatusCache::unwatched_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
}

std::size_t StatusCache::watched_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

std::size_t StatusCache::kept_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t kept = 0;
    for (const auto &[service, e] : entries_) kept += e.kept && e.kept_generation == e.generation;
    return kept;
}

}  // namespace warden::host
