// SPDX-License-Identifier: Apache-2.0
// host/s6/s6_client.hpp — s6 services as plain, synchronous file operations.
//
// The S6Client is a library, not a supervisor: s6-svscan and s6-supervise do
// the supervising; the client builds service directories, reads their state,
// sends control bytes and takes services apart again (docs/s6.md).
//
//   create   builds the whole directory under a hidden name, renames it into
//            place, asks s6-svscan to rescan. The same spec again leaves the
//            process alone; a changed spec rewrites the files in place and
//            restarts the process; logs (outside the service dir) stay. A
//            spec's user and group reach the run script (run_script.hpp);
//            every file stays the host's, as does the logger.
//   observe  decodes supervise/status, checks the supervise lock, reads the
//            death tally: no process spawned. What it decoded is kept while
//            the service's watch reports nothing (status_cache.hpp): a
//            settled service is observed from memory, no system call.
//   control  start, stop, restart, signal, persistent up/down; stop and
//            restart also end the old process group, so children die too.
//   remove   renames the service out of the scan dir, has its supervisors
//            exit, kills what is left of its process group, deletes the dir;
//            finishes a removal, and clears a create, that a crash cut short.
//
// The manifest (.warden-manifest) is the mark of a directory Warden made: a
// service directory without one (a hand-made s6 service) is never observed,
// controlled, updated or removed — each refuses with a conflict error that
// says so — and list leaves it out. Every run script starts its program
// through warden-guard, which records the instance under
// <scan dir>/.warden/instances and ends an earlier one left behind
// (instance_record.hpp); remove ends what a record still names.
//
// Workers never call it directly: they go through the host services table,
// which scopes every name to the calling worker.
// THREADING: every method is thread-safe. Operations on different services
// run concurrently; the caller keeps operations on one service in order.
#pragma once

#include "common/result.hpp"
#include "s6/s6_paths.hpp"
#include "s6/scan_dir_listing.hpp"
#include "s6/service_layout.hpp"
#include "s6/service_spec.hpp"
#include "s6/service_status.hpp"
#include "s6/status_cache.hpp"

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

struct S6Options {
    std::filesystem::path scan_dir;  ///< where s6-svscan looks for services
    std::filesystem::path log_root;  ///< each service logs into log_root/<name>
    S6Paths paths;
};

enum class CreateOutcome { created, unchanged, updated };

enum class ServiceCommand { start, stop, restart, signal, start_persist, stop_persist };

class S6Client {
public:
    explicit S6Client(S6Options options);
    S6Client(const S6Client &) = delete;
    S6Client &operator=(const S6Client &) = delete;

    const S6Options &options() const { return options_; }

    Result<CreateOutcome> create(const ServiceSpec &spec);
    /// The service's state: kept from an earlier read while its watch says
    /// nothing changed, else read from s6's files.
    Result<ServiceStatus> observe(std::string_view name);
    Result<void> control(std::string_view name, ServiceCommand command, int signal_number = 0);
    Result<void> remove(std::string_view name, bool delete_logs = false);
    /// Finishes every removal, and clears every create, that a crash cut
    /// short (hidden leftovers in the scan dir), whatever service they were
    /// for. Returns the names of the services whose leftovers went. For the
    /// host's start, before any worker runs: a create in progress in this
    /// process would be cleared too.
    Result<std::vector<std::string>> sweep_leftovers();
    /// The services Warden made (sorted) whose names begin with `prefix`.
    Result<std::vector<std::string>> list(std::string_view prefix) const;
    /// The service directories it did not make (no manifest), likewise.
    Result<std::vector<std::string>> list_foreign(std::string_view prefix) const;
    /// Every directory in the scan dir named like a service and beginning
    /// with `prefix` (sorted), Warden's or not, as the scan dir's listing
    /// last read it: no look inside each. For a caller that observes each next (observe
    /// refuses a service Warden did not make).
    Result<std::vector<std::string>> list_directories(std::string_view prefix) const;

    std::filesystem::path service_dir(std::string_view name) const;
    std::filesystem::path log_dir(std::string_view name) const;

    /// What observe keeps; for the ServiceWatch of the scan dir to keep up
    /// to date. Without a watch nothing is kept and every observe reads.
    StatusCache &status_cache() { return status_cache_; }
    /// How many times observe read a service's files (supervise/status and
    /// the rest), not answering from the cache: for tests and benchmarks.
    uint64_t status_reads() const { return status_reads_.load(std::memory_order_relaxed); }

private:
    // What observe remembers per service, to count deaths past the tally's
    // 100 records and to skip reading the tally when nothing changed.
    struct DeathMemo {
        std::string status_bytes;
        int64_t last_death_ns = 0;
        uint32_t total = 0;
        int32_t last_exit_code = 0;
        int32_t last_signal = 0;
    };

    Result<CreateOutcome> create_or_update(const ServiceSpec &spec);
    Result<void> send(std::string_view name, ServiceCommand command, int signal_number);
    Result<void> remove_service(std::string_view name, bool delete_logs);
    Result<void> check_programs();
    Result<void> check_switch_programs();
    Result<CreateOutcome> create_new(const ServiceSpec &spec, const ServiceLayout &layout);
    Result<CreateOutcome> update_in_place(const ServiceSpec &spec, const ServiceLayout &layout,
                                          const std::string &old_manifest);
    Result<void> send_command(const std::filesystem::path &dir, std::string_view name,
                              char command);
    Result<void> finish_removal(const std::filesystem::path &hidden, std::string_view name);
    Result<void> remove_build_leftovers(std::string_view name) const;
    Result<std::vector<std::string>> list_where(std::string_view prefix, bool ours) const;
    /// observe without the cache: the files as they are now.
    Result<ServiceStatus> read_service(std::string_view name);
    /// Whether observe saw exactly these status bytes last time.
    bool seen_before(std::string_view name, const std::string &status_bytes);
    DeathMemo read_deaths(const std::string &name, const std::string &status_bytes,
                          const std::filesystem::path &dir);

    S6Options options_;
    mutable ScanDirListing listing_{options_.scan_dir};
    std::mutex mutex_;
    bool programs_checked_ = false;
    bool switch_programs_checked_ = false;
    std::map<std::string, DeathMemo, std::less<>> deaths_;
    StatusCache status_cache_;
    std::atomic<uint64_t> status_reads_{0};
};

}  // namespace warden::host
