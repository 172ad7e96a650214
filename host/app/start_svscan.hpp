// SPDX-License-Identifier: Apache-2.0
// host/app/start_svscan.hpp — `warden --start-svscan`.
#pragma once

#include "app/settings.hpp"

#include <ostream>

namespace warden::host {

/// Makes sure an s6-svscan watches the scan dir (creating the default scan
/// dir, and the log dir for s6-svscan's output, when missing) and says which
/// one does. Returns the exit status: 0, or 1 with the reason on `err`.
int start_svscan(const Settings &settings, std::ostream &out, std::ostream &err);

}  // namespace warden::host
