// SPDX-License-Identifier: Apache-2.0
// host/s6/service_status.hpp — a service's state as s6 records it.
//
// s6-supervise keeps no pid file: the state is the binary supervise/status
// file, rewritten atomically on every change (docs/s6.md):
//
//   offset  bytes  field (big-endian)
//   0       12     TAI64N stamp: last spawn when up, last death when down
//   12      12     TAI64N ready stamp
//   24      8      pid; 0 = no process (while finish runs: finish's pid)
//   32      2      wait status of the last death
//   34      1      flags: 0x01 paused, 0x02 finishing, 0x04 want up, 0x08 ready
//
// s6 2.13.0-2.13.2 insert a u64 pgid at offset 32 (43 bytes); the size
// tells which. TAI64N seconds are 2^62 + unix time + 37.
#pragma once

#include "common/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace warden::host {

/// A service's state: what s6 records, decoded (S6Client::observe).
struct ServiceStatus {
    bool exists = false;
    bool supervised = false;  ///< an s6-supervise holds its lock; false: the rest is stale
    bool up = false;
    bool ready = false;  ///< up and notified readiness (needs a notification fd)
    bool want_up = false;
    bool normally_up = false;  ///< no `down` file
    bool finishing = false;
    bool died = false;  ///< a process of it has ended; last_exit_code, last_signal say how
    int64_t pid = 0;
    int64_t since_ns = 0;        ///< unix ns: up since, or down since
    int64_t ready_since_ns = 0;  ///< unix ns; 0 unless ready
    int32_t last_exit_code = 0;
    int32_t last_signal = 0;
    uint32_t restart_count = 0;  ///< deaths recorded, counted past s6's last 100
};

/// What the status file says, decoded.
struct StatusRecord {
    int64_t stamp_ns = 0;        ///< unix ns of the last spawn (up) or death (down)
    int64_t ready_stamp_ns = 0;  ///< unix ns of readiness
    int64_t pid = 0;
    bool exited = false;    ///< the last death was an exit (not a signal)
    int32_t exit_code = 0;  ///< when exited
    int32_t signal = 0;     ///< when killed by a signal
    bool paused = false;
    bool finishing = false;
    bool want_up = false;
    bool ready_flag = false;

    /// A process runs: there is a pid and it is not the finish script's.
    bool up() const { return pid != 0 && !finishing; }
};

/// Decodes the bytes of supervise/status (35 or 43 of them).
Result<StatusRecord> decode_status(std::string_view bytes);

/// The bytes of `service_dir`/supervise/status in one read, or nothing when
/// the file does not exist (no supervisor ever ran the service).
Result<std::optional<std::string>> read_status_file(const std::filesystem::path &service_dir);

/// The decoded status of `service_dir`, or nothing when it cannot be read.
std::optional<StatusRecord> current_status(const std::filesystem::path &service_dir);

/// Unix nanoseconds for a 12-byte TAI64N label.
int64_t tai64n_to_unix_ns(const unsigned char *label);

/// The records of supervise/death_tally, 14 bytes each: a TAI64N stamp,
/// the exit code or 128+signal, the signal. s6 keeps the last 100 deaths and
/// empties the tally when s6-supervise starts. On a death it writes the tally
/// before the status file, so the tally, not the status, is where a reader
/// finds a death and how it ended consistently.
class DeathTally {
public:
    explicit DeathTally(std::string_view bytes) : bytes_(bytes) {}
    uint32_t count() const { return static_cast<uint32_t>(bytes_.size() / kRecordSize); }
    /// Unix ns of the newest death; 0 when there is none.
    int64_t last_death_ns() const;
    /// How many deaths came after `stamp_ns`.
    uint32_t deaths_after(int64_t stamp_ns) const;
    /// How the newest death ended: its exit code (0 when killed) and signal
    /// (0 when it exited). Both 0 when there is no death.
    int32_t last_exit_code() const;
    int32_t last_signal() const;

private:
    static constexpr std::size_t kRecordSize = 14;
    const unsigned char *record(uint32_t i) const {
        return reinterpret_cast<const unsigned char *>(bytes_.data()) + i * kRecordSize;
    }
    std::string_view bytes_;
};

}  // namespace warden::host
