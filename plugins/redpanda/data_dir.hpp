// SPDX-License-Identifier: Apache-2.0
// data_dir.hpp — a broker's data directory: made when missing, and who
// holds it.
//
// Redpanda refuses to start without its data directory, and refuses one
// that another process holds: it takes an fcntl write lock on
// `<data_directory>/pid.lock` and keeps it while it runs. The worker makes
// a missing directory before it deploys, and before it starts a broker asks
// who holds the lock, so a directory another Redpanda uses is a clear
// reason rather than a crash loop. It never changes a directory it did not
// make, and the lock it only asks about. A directory it makes while the host
// runs the broker as another user is given to that user (kit::RunAs); one
// that user does not own is named in a warning, since the broker may not
// be able to write there.
//
// THREADING: plain functions; call from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace redpanda_plugin {

/// Makes `path` (mode 0750) and its missing parents (0755); an existing
/// directory is left as it is. True when it made `path`. Throws
/// warden::Error naming the path and the cause ("Permission denied").
bool make_data_dir(const std::string &path);

/// Why the broker, running as `uid`, may be unable to write in the data
/// directory `path`: "data directory P is owned by uid A, and the broker
/// runs as uid B; ..."; empty when `uid` owns it or it cannot be read.
std::string data_dir_owner_problem(const std::string &path, uint32_t uid);

/// The pid of the process holding `<path>/pid.lock`'s lock; 0 when none
/// does, or the directory or file is not there.
int64_t data_dir_holder(const std::string &path);

/// Whether `holder` is the service's own broker: the process s6 started
/// (`service_pid`), or one of its session (s6-supervise makes each service
/// a session leader), as when `binary` is a wrapper that forks.
bool held_by_service(int64_t holder, int64_t service_pid);

/// The file the worker keeps in the data directory: the cluster properties
/// it set, so it can remove those the YAML no longer names, across host
/// restarts.
std::string managed_properties_file(const std::string &data_dir);

}  // namespace redpanda_plugin
