// SPDX-License-Identifier: Apache-2.0
// host/app/show_status.hpp — `warden --status`: asks the host running on
// the scan dir, and prints its report as a table.
#pragma once

#include "app/settings.hpp"

#include <ostream>

namespace warden::host {

/// Exit status: 0 printed, 3 no host runs there, 1 any other failure.
int show_status(const Settings &settings, std::ostream &out, std::ostream &err);

}  // namespace warden::host
