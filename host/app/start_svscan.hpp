// SPDX-License-Identifier: Apache-2.0
// host/app/start_svscan.hpp — `warden --start-svscan` and `warden --run-svscan`.
#pragma once

#include "app/settings.hpp"

#include <ostream>

namespace warden::host {

/// Makes sure an s6-svscan watches the scan dir (creating the default scan
/// dir, and the log dir for s6-svscan's output, when missing) and says which
/// one does. Returns the exit status: 0, or 1 with the reason on `err`.
int start_svscan(const Settings &settings, std::ostream &out, std::ostream &err);

/// Becomes the s6-svscan of the scan dir (creating the default scan dir
/// when missing), for a service manager that runs it as a service of its
/// own: its output goes where the manager put this process's, and stopping
/// it (SIGTERM) brings every service down. Returns only on failure: 1, or
/// 100 when another s6-svscan watches the scan dir, with the reason on `err`.
int run_svscan(const Settings &settings, std::ostream &err);

}  // namespace warden::host
