// SPDX-License-Identifier: Apache-2.0
// host/s6/run_script.hpp — the execline scripts s6 runs for a service.
//
// User values (argv, environment, working directory, log directory) reach
// the process byte for byte: every word is written as an execline quoted
// string, with every byte that execline would read specially written as a
// \0xHH escape. No shell ever parses them; execlineb only splits words.
//
// Both scripts start their program through warden-guard (S6Paths::guard),
// which first ends an earlier instance left running by a killed supervisor
// or a deleted directory (host/s6/instance_record.hpp). A service starts
// with a defined environment: nothing inherited from whoever started
// s6-svscan, only PATH (kServicePath) and the spec's own variables.
//
// A spec with a user (set only when the host runs as root and the service
// runs as another account, rules::settle_service_account) is switched to
// it with s6's own programs, right after the guard: the guard records the
// instance and ends an earlier one as s6-supervise's user, the program runs
// as the spec's. With only a user, `s6-setuidgid USER` (the user's uid, its
// primary group and its supplementary groups, looked up when the service
// starts); with a group, what s6-setuidgid does with one group changed:
// `s6-envuidgid USER` (UID, GID, GIDLIST of the user), `s6-envuidgid -g
// GROUP` (GID replaced by the group's), `s6-applyuidgid -Uz` (set them all,
// then unexport them). Both come before the environment is emptied, so
// nothing of theirs stays and a spec's own UID or GID variable is kept. The
// logger is never switched: s6-log writes the logs as s6-supervise's user.
#pragma once

#include "s6/s6_paths.hpp"
#include "s6/service_spec.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace warden::host {

/// `word` as one execline word: "..." with \\, \" and \0xHH escapes.
std::string execline_word(std::string_view word);

/// The PATH every service starts with (the spec's env may set another).
inline constexpr const char *kServicePath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The service's ./run: stderr to the log pipe, the guard (recording the
/// instance in `record_file`), the switch to the spec's user and group (if
/// any), an empty environment with PATH and the spec's variables, the
/// working directory, then exec into argv.
std::string render_run_script(const ServiceSpec &spec, const std::filesystem::path &record_file,
                              const S6Paths &paths);

/// The logger's ./run: the guard (recording in `record_file`), then s6-log
/// with the spec's rotation into `log_dir`.
std::string render_log_run_script(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                                  const std::filesystem::path &record_file, const S6Paths &paths);

}  // namespace warden::host
