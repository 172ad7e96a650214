// SPDX-License-Identifier: Apache-2.0
// tests/bench/raw_s6.hpp — raw s6, the way a careful script drives it: what
// the benchmarks measure the S6Client and the host against.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace warden::bench {

/// Builds the service directory the S6Client would make for `/bin/sleep
/// 3600`, under the hidden name ".NAME.prebuilt" in the scan dir, so that
/// adding it is one rename.
void prebuild(const std::filesystem::path &scan_dir, const std::filesystem::path &log_root,
              const std::string &name);

/// Renames each prebuilt service into place and asks s6-svscan to rescan.
void rename_in(const std::filesystem::path &scan_dir, const std::vector<std::string> &names);

/// Renames every service out of the scan dir, one pruning rescan, waits
/// for their supervisors to exit, deletes the directories.
void remove_all(const std::filesystem::path &scan_dir, const std::vector<std::string> &names);

/// Runs `s6-svstat` on each service, one after another, as a script asking
/// s6 about every service does; throws when one cannot run or fails.
void svstat_all(const std::filesystem::path &scan_dir, const std::vector<std::string> &names);

}  // namespace warden::bench
