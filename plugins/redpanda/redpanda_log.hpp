// SPDX-License-Identifier: Apache-2.0
// redpanda_log.hpp — reading Redpanda's own words from its log.
//
// Redpanda logs in seastar's format on stderr, which the service's logger
// stores behind a timestamp of its own:
//
//   ERROR 2023-01-16 19:08:31,551 [shard 0:main] main - application.cc:333 - Failure during
//   startup: std::runtime_error (failed to lock pidfile. already locked)
//
// When a broker dies or will not get ready, the reason is most useful with
// the line Redpanda itself gave: a startup failure, a crash-loop refusal,
// seastar refusing to start, a bad command line.
//
// THREADING: pure functions.
#pragma once

#include <string>
#include <vector>

namespace redpanda_plugin {

/// The newest fatal line of the newest process in `lines` (oldest first),
/// from its message on: "Failure during startup: ...", "Crash loop detected.
/// ...", "Could not initialize seastar: ...", "Argument parse error: ...";
/// "" if that process logged none. Printable, at most a few hundred bytes.
std::string newest_fatal_line(const std::vector<std::string> &lines);

}  // namespace redpanda_plugin
