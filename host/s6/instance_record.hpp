// SPDX-License-Identifier: Apache-2.0
// host/s6/instance_record.hpp — which process runs a service, kept outside
// the service directory so that it outlives the directory and the
// supervisor.
//
// Every run script starts its program through warden-guard, which ends the
// process an earlier record names (when it still runs and its supervisor is
// not the one starting this instance: the old supervisor was killed, or the
// service directory was deleted and made again) and then records itself.
// One instance of a service runs, whatever happened to s6-supervise or to
// the directory. The record of service NAME is
// <scan dir>/.warden/instances/NAME (NAME.log for its logger), one line:
//
//   warden-instance 1 BOOT_ID PID START_TICKS SUPERVISOR_PID SUPERVISOR_START_TICKS
//
// THREADING: plain functions; call from any thread.
#pragma once

#include "common/result.hpp"
#include "s6/process_identity.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace warden::host {

struct InstanceRecord {
    std::string boot_id;
    ProcessIdentity process;     ///< the service's process (it leads its process group)
    ProcessIdentity supervisor;  ///< the s6-supervise that started it
};

/// Where the records of the services under `scan_dir` are kept.
std::filesystem::path instance_record_dir(const std::filesystem::path &scan_dir);

std::string encode_instance_record(const InstanceRecord &record);
/// The record in `text`, or nothing when it is not one (any byte out of place).
std::optional<InstanceRecord> decode_instance_record(std::string_view text);

/// The record in `file`: nothing when there is none or it cannot be read.
std::optional<InstanceRecord> read_instance_record(const std::filesystem::path &file);
Result<void> write_instance_record(const std::filesystem::path &file, const InstanceRecord &record);

/// What end_recorded_instance did.
struct EndedInstance {
    bool ended = false;             ///< a recorded process ran, and was ended
    bool supervisor_ended = false;  ///< its supervisor still ran, and was killed
    bool killed = false;            ///< it needed SIGKILL
    bool still_running = false;     ///< it did not end even after SIGKILL
};

/// Ends the process `record` names, if it still runs in this boot and is
/// not `self` (the caller's own pid): first its supervisor (SIGKILL, unless
/// it is `keep_supervisor`: a supervisor that lives on would start it
/// again), then its process group with `down_signal` and SIGCONT, then
/// SIGKILL after `kill_after` — or, with nothing there (the service's
/// "never SIGKILL"), by waiting for as long as it takes.
EndedInstance end_recorded_instance(const InstanceRecord &record, pid_t self, pid_t keep_supervisor,
                                    int down_signal,
                                    std::optional<std::chrono::milliseconds> kill_after);

}  // namespace warden::host
