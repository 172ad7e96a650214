// SPDX-License-Identifier: Apache-2.0
// host/s6/s6_paths.cpp
#include "s6/s6_paths.hpp"

#include <unistd.h>

#include <system_error>

namespace warden::host {

std::filesystem::path default_guard_program() {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path beside =
            (self.parent_path() / ".." / "libexec" / "warden" / "warden-guard").lexically_normal();
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
    return WARDEN_GUARD_PROGRAM;
}

}  // namespace warden::host
