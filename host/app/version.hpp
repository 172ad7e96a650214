// SPDX-License-Identifier: Apache-2.0
// host/app/version.hpp — the host's version, as --version prints it.
#pragma once

#include <string>

namespace warden::host {

/// "warden 0.1.0 (plugin ABI 1.0)"
std::string version_text();

}  // namespace warden::host
