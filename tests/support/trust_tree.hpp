// SPDX-License-Identifier: Apache-2.0
// tests/support/trust_tree.hpp — directory trees for the tests of the trust
// rule (host/trust): a uid that is neither root nor the host's, the words a
// refusal of another owner ends with, and a directory made with a mode.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace warden::test {

/// A user that is neither root nor the test's (nobody, on Debian).
inline constexpr uid_t kOtherUser = 65534;

/// How a refusal of a path another user owns ends, for a test run as root.
inline const std::string kOnlyRoot = "; only root or the host's user (uid 0) may own it";

/// `path`, made with its parents, with `mode` exactly (not narrowed by the
/// umask); throws when it cannot.
inline std::filesystem::path make_dir(const std::filesystem::path &path, mode_t mode = 0755) {
    std::filesystem::create_directories(path);
    if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("cannot chmod " + path.string());
    return path;
}

}  // namespace warden::test
