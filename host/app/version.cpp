// SPDX-License-Identifier: Apache-2.0
// host/app/version.cpp
#include "app/version.hpp"

#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>

namespace warden::host {

std::string version_text() {
    return std::string("warden ") + WARDEN_VERSION + " (plugin ABI " +
           abi_version_text(WARDEN_ABI_VERSION) + ")";
}

}  // namespace warden::host
