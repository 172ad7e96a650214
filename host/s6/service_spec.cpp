// SPDX-License-Identifier: Apache-2.0
// host/s6/service_spec.cpp
#include "s6/service_spec.hpp"

#include "s6/service_name.hpp"

#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

#include <algorithm>
#include <csignal>
#include <string_view>

namespace warden::host {
namespace {

bool has_nul(std::string_view s) {
    return s.find('\0') != std::string_view::npos;
}

Error bad(const ServiceSpec &spec, const std::string &what) {
    return fail_as(ErrorKind::invalid_argument, "service '", spec.name, "': ", what);
}

}  // namespace

Result<void> check_service_spec(const ServiceSpec &spec) {
    if (Result<void> name = check_service_name(spec.name); !name) return name;
    if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/')
        return bad(spec, "argv[0] must be an absolute path to the program");
    for (std::size_t i = 0; i < spec.argv.size(); ++i)
        if (has_nul(spec.argv[i]))
            return bad(spec, "argv[" + std::to_string(i) + "] contains a NUL byte");
    for (const std::string &entry : spec.env) {
        const std::size_t eq = entry.find('=');
        const std::string_view name = std::string_view(entry).substr(0, eq);
        if (eq == std::string::npos || !rules::valid_env_name(name) || has_nul(entry))
            return bad(spec, "environment entry '" + printable(entry, 80) +
                                 "' is not NAME=value with NAME [A-Za-z_][A-Za-z0-9_]*");
    }
    if (!spec.working_dir.empty() && (spec.working_dir[0] != '/' || has_nul(spec.working_dir)))
        return bad(spec, "working_dir must be an absolute path");
    for (const ServiceDataFile &file : spec.files) {
        if (!valid_data_path(file.path))
            return bad(
                spec,
                "file path '" + printable(file.path, 80) +
                    "' must be relative, without '..', '.' or empty parts or control characters");
        if (file.mode > 0777)
            return bad(spec, "file '" + file.path + "' has mode " + std::to_string(file.mode) +
                                 "; permission bits only");
    }
    if (spec.notification_fd != 0 && (spec.notification_fd < WARDEN_MIN_NOTIFICATION_FD ||
                                      spec.notification_fd > WARDEN_MAX_NOTIFICATION_FD))
        return bad(spec, "notification fd " + std::to_string(spec.notification_fd) +
                             " must be from " + std::to_string(WARDEN_MIN_NOTIFICATION_FD) +
                             " to " + std::to_string(WARDEN_MAX_NOTIFICATION_FD) +
                             " (0, 1 and 2 are stdin, stdout, stderr)");
    if (spec.down_signal < 1 || spec.down_signal >= NSIG)
        return bad(spec, "down signal " + std::to_string(spec.down_signal) + " is not a signal");
    if (spec.log_max_files < 1 || spec.log_max_files > WARDEN_MAX_LOG_FILES)
        return bad(spec, "log_max_files must be from 1 to " + std::to_string(WARDEN_MAX_LOG_FILES));
    if (spec.log_max_file_bytes < WARDEN_MIN_LOG_FILE_BYTES ||
        spec.log_max_file_bytes > WARDEN_MAX_LOG_FILE_BYTES)
        return bad(spec, "log_max_file_bytes must be from " +
                             std::to_string(WARDEN_MIN_LOG_FILE_BYTES) + " to " +
                             std::to_string(WARDEN_MAX_LOG_FILE_BYTES) + " (s6-log's limits)");
    // The names reach s6's programs as words of their own: the rule keeps
    // out anything they could read as an option or a uid.
    if (std::string problem = rules::account_field_problem("user", spec.user, false);
        !problem.empty())
        return bad(spec, problem);
    if (std::string problem = rules::account_field_problem("group", spec.group, true);
        !problem.empty())
        return bad(spec, problem);
    if (spec.user.empty() && !spec.group.empty())
        return bad(spec, "group '" + spec.group + "' is switched to only with a user");
    return {};
}

}  // namespace warden::host
