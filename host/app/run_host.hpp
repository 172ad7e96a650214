// SPDX-License-Identifier: Apache-2.0
// host/app/run_host.hpp — `warden --config FILE`: the host itself.
//
// Start: take the scan dir's host lock, make sure an s6-svscan watches the
// scan dir, load the plugins, check the whole config (refused: nothing
// starts), finish what a crashed host left half done, report (or with
// --remove-orphans remove) services no worker claims, then hand the workers
// to the supervisor: services already running that match are adopted as
// they are.
// Run: SIGHUP or a change of the file reloads it; a bad file is refused with
// every problem logged and nothing changes. The status socket answers
// `warden --status`.
// Exit: SIGTERM or SIGINT stops deciding and waits for in-flight actions
// (with stop_services_on_exit: for every worker to stop) within the exit
// budget, and exits 0; services keep running. A second signal, or the
// budget running out, exits at once with status 1.
#pragma once

#include "app/command_line.hpp"
#include "app/settings.hpp"

#include <string>

namespace warden::host {

/// Runs until told to exit; returns the exit status.
int run_host(const Options &options, const Settings &settings, std::string config_text);

}  // namespace warden::host
