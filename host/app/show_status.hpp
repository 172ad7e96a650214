// SPDX-License-Identifier: Apache-2.0
// host/app/show_status.hpp — `warden --status [--json]`: asks the host
// running on the scan dir, and prints its report as a table or, with
// --json, as one JSON document (status_json.hpp, docs/status.md).
#pragma once

#include "app/settings.hpp"
#include "status/status_json.hpp"

#include <ostream>
#include <string>

namespace warden::host {

enum class StatusFormat {
    table,  ///< one line per worker, for people
    json,   ///< one JSON document on `out`, for machines, failures included
};

/// Exit status: 0 printed, 3 no host runs there, 1 any other failure. A
/// failure's message goes to `err` ("warden: ..."), in either format; with
/// json, `out` also gets its error object, so `out` holds exactly one JSON
/// document whatever happens.
int show_status(const Settings &settings, StatusFormat format, std::ostream &out,
                std::ostream &err);

/// A failure of `warden --status` outside show_status (the config file
/// unreadable, an internal error), told as show_status tells its own:
/// "warden: " + message to `err`, and with json the error object to `out`.
/// Returns `exit_status`.
int status_failure(StatusFormat format, StatusErrorKind kind, const std::string &message,
                   int exit_status, std::ostream &out, std::ostream &err);

}  // namespace warden::host
