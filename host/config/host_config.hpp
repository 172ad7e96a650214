// SPDX-License-Identifier: Apache-2.0
// host/config/host_config.hpp — warden.yaml: what the host should run.
//
// load_config reads the whole file and returns either the configuration or
// every problem in it, each with its line, so a user fixes them all in one
// go. parse_config checks what the file alone can tell (YAML, keys, types of
// values, names, duplicates); load_config adds what needs the plugins
// (offered worker types, each plugin's own derive_desired_state of its
// workers' configs), for every worker the file describes well enough to ask,
// and what needs the machine (that `service_user` exists).
// A worker's `config:` block is handed to its plugin as JSON: plain YAML
// scalars follow YAML 1.2's core schema (true, 12, 1.5, null), quoted ones
// stay strings, and keys come out sorted, so the same file gives the same
// bytes.
//
// Reading is bounded and total (config_limits.hpp, yaml_document.hpp): any
// text gives a configuration or problems, never a crash or an exception. A
// file with nothing in it, or without `workers:`, is refused: a file saved
// half way must never stop every service.
#pragma once

#include "common/result.hpp"
#include "config/config_problem.hpp"
#include "net/listen_address.hpp"
#include "plugin_services/system_accounts.hpp"
#include "supervisor/supervisor_settings.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace warden::host {

class PluginRegistry;

struct WorkerConfig {
    std::string type;
    std::string name;
    int32_t desired_state = WARDEN_DESIRED_RUNNING;
    std::string config_json = "{}";  ///< the `config:` block, as JSON
    std::string desired_json;        ///< what the plugin derived from it (load_config)
    int line = 0;                    ///< where the entry starts in the file (1-based)

    std::string label() const { return type + "/" + name; }
};

struct HostConfig {
    std::filesystem::path scan_dir;                  ///< empty: not in the file
    std::vector<std::filesystem::path> plugin_dirs;  ///< empty: not in the file
    std::string log_level;                           ///< empty: not in the file
    std::string log_format;                          ///< empty: not in the file
    /// The user a service whose worker names none runs as [WP-SVC-3]; empty
    /// (not in the file): s6-svscan's, the host's own. Read at start only: a
    /// change takes effect when the host restarts.
    std::string service_user;
    int service_user_line = 0;  ///< where it is set (1-based); 0: not in the file
    bool stop_services_on_exit = false;
    SupervisorSettings supervisor;  ///< the `supervisor:` block over the defaults
    /// Where the Prometheus endpoint listens (`metrics: {listen: ...}`);
    /// unset: no endpoint.
    std::optional<ListenAddress> metrics_listen;
    std::vector<WorkerConfig> workers;
};

/// What the file alone says: the configuration as far as it could be read
/// (workers with a problem are left out) and every problem found.
struct ParsedConfig {
    HostConfig config;
    std::vector<ConfigProblem> problems;  ///< empty: `config` is the whole file
};

ParsedConfig parse_config(std::string_view text);

/// The configuration in `text` checked as a whole, file, plugins and
/// machine (`service_user` must exist in `accounts`), or every problem
/// found, in line order. The one gate for starting and reloading: a
/// configuration with any problem is never used. Each worker's desired_json
/// is filled in.
std::variant<HostConfig, std::vector<ConfigProblem>> load_config(
    std::string_view text, const PluginRegistry &plugins,
    const rules::AccountDirectory &accounts = system_accounts());

/// The text of the config file open on `fd` (read from its current offset;
/// the caller keeps the descriptor). Only a regular file is read, and at
/// most kMaxConfigBytes of it: a FIFO, device, socket or directory, or a
/// larger file, is refused, the error naming `file`, what it is and why.
Result<std::string> read_config_from(int fd, const std::filesystem::path &file);

/// The config file's text: opened without blocking (a FIFO never holds the
/// host) and without becoming a controlling terminal, then read_config_from.
/// The error names the file and the cause.
Result<std::string> read_config_file(const std::filesystem::path &file);

/// "FILE:LINE: message", or "FILE: message" for a whole-file problem.
std::string describe(const std::filesystem::path &file, const ConfigProblem &problem);

}  // namespace warden::host
