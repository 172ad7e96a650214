// SPDX-License-Identifier: Apache-2.0
// host/app/host_trust.hpp — the host's own inputs, under the rule that
// guards its plugins (trust/open_trusted.hpp) when it runs as root.
//
// Whoever can change the config file, or a directory on the way to it,
// can have the host run any program as root; whoever can write the scan
// dir can replace a run script s6 starts as root, and whoever can write the
// log dir can point the loggers' files anywhere. So a host running as root
// reads only a config file that root alone can change, judged and read
// through one descriptor, and uses only a scan dir and a log dir that root
// alone can change (a sticky directory on the way, like /tmp, is fine when what
// is taken from it is root's). A host running as another user trusts its
// own files as that user would.
// THREADING: plain functions; call from any thread.
#pragma once

#include "common/result.hpp"

#include <filesystem>
#include <string>

namespace warden::host {

/// The config file's text: read_config_file, after the trust rule as root.
Result<std::string> read_host_config(const std::filesystem::path &file);

/// As root, whether only root can change `scan_dir` and the way to it.
Result<void> check_host_scan_dir(const std::filesystem::path &scan_dir);

/// As root, the same for `log_dir`: every service's s6-log writes and
/// rotates files there as root, so a link planted in it is a write anywhere.
Result<void> check_host_log_dir(const std::filesystem::path &log_dir);

}  // namespace warden::host
