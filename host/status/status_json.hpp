// SPDX-License-Identifier: Apache-2.0
// host/status/status_json.hpp — `warden --status --json`: the status report
// as one JSON document of a documented, versioned shape (docs/status.md),
// and a failure to get it as one JSON object of the same format.
//
// The document is made on the client's side from the decoded report
// (decode_report, status_report.hpp), never copied from the wire: the wire
// form is the host's own and may change, this shape only grows within a
// version. Every text is written with invalid UTF-8 replaced by U+FFFD, so
// whatever bytes a plugin put in a reason the document is valid JSON.
//
// THREADING: pure functions; call from any thread.
// OWNERSHIP: each returns a string the caller owns; nothing is kept.
#pragma once

#include "status/status_report.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

/// The document's "format" member, and its "version". The version changes
/// only when a member is removed or changes meaning; members are added
/// within a version.
inline constexpr std::string_view kStatusJsonFormat = "warden-status";
inline constexpr int kStatusJsonVersion = 1;

/// Why `warden --status --json` printed no report. Each has a stable name
/// (status_error_kind_name), the "kind" of the error object.
enum class StatusErrorKind {
    no_host,            ///< nothing listens on the status socket (exit 3)
    config,             ///< the config file could not be read
    permission_denied,  ///< this user may not reach the status socket
    timeout,            ///< no whole answer in time
    bad_answer,         ///< the answer is not a status report
    request_failed,     ///< any other failure to ask
    internal,           ///< an error warden did not expect (exit 70)
};

/// "no_host", "config", "permission_denied", ...
std::string_view status_error_kind_name(StatusErrorKind kind);

/// The report as one line of JSON, ending in "\n". `generated_at` (unix ns)
/// is when the document is made.
std::string status_json(const HostReport &host, const std::vector<WorkerReport> &workers,
                        int64_t generated_at);

/// A failure as one line of JSON, ending in "\n":
/// {"format":"warden-status","version":1,"error":{"kind":...,"message":...}}.
std::string status_error_json(StatusErrorKind kind, std::string_view message);

/// "running", "stopped"; "unknown" for any other number.
std::string_view desired_state_name(int32_t desired_state);

}  // namespace warden::host
