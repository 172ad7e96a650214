// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_loader.hpp — loading one plugin file, step by step.
//
// load_plugin goes through the steps of docs/plugin-interface.md [WP-LOAD-5]
// in order and stops at the first that fails, returning a Refusal that names
// the file, the step and the cause. It takes the file already opened and
// checked (open_plugin_file) and loads that descriptor, never the path: what
// was checked is what runs. Its one log line, "plugin FILE: loading", comes
// right before the plugin's first code runs, so a plugin that kills the host
// while it loads is named in the log; the registry writes the rest. Nothing
// a plugin does while it loads — a truncated file, garbage in its table, an
// exception out of its entry or init — gets past a Refusal.
//
// OWNERSHIP: a LoadedPlugin owns the plugin's context and worker types, and
// is shared: the registry holds it, and so does every PluginWorker made from
// one of its worker types, so the plugin's shutdown runs only after its last
// worker is destroyed. The library itself is never unmapped: it is opened
// with RTLD_NODELETE and never closed, so code a plugin left behind (a
// thread, an atexit handler) never points into freed memory [WP-LIFE-4].
// THREADING: load_plugin and ~LoadedPlugin run alone (plugin init and
// shutdown must not overlap anything of the plugin).
#pragma once

#include "plugin_services/handles.hpp"
#include "plugins/plugin_file_check.hpp"
#include "plugins/worker_type.hpp"
#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace warden::host {

/// Why a plugin (or a plugin directory) was not loaded.
struct Refusal {
    std::filesystem::path file;
    std::string step;   ///< e.g. "file check", "ELF check", "load", "ABI check", "init"
    std::string cause;  ///< e.g. "built for ABI 2.0, this host speaks ABI 1.0 (...)"

    /// "plugin FILE refused at STEP: CAUSE; plugin skipped"
    std::string message() const;
};

/// The plugin file offering each worker type loaded so far.
using WorkerTypeOwners = std::map<std::string, std::filesystem::path, std::less<>>;

class LoadedPlugin : public std::enable_shared_from_this<LoadedPlugin> {
public:
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const std::filesystem::path &file() const { return file_; }
    const PluginInfo &info() const { return info_; }
    const std::vector<std::unique_ptr<WorkerType>> &worker_types() const { return worker_types_; }
    /// What is wrong with the file without refusing it: symbols it exports
    /// besides the entry [WP-LOAD-1]. The registry logs each once, as
    /// "plugin FILE: WARNING", and `warden --list-plugins` shows them.
    const std::vector<std::string> &warnings() const { return warnings_; }

private:
    friend std::variant<std::shared_ptr<LoadedPlugin>, Refusal> load_plugin(
        PluginFile, const WorkerTypeOwners &);

    // The steps after dlopen, in order. `step` always names the one running,
    // so an exception out of the plugin is refused at its step.
    static std::variant<std::shared_ptr<LoadedPlugin>, Refusal> load_steps(
        const std::filesystem::path &file, void *library, const WorkerTypeOwners &taken,
        std::string &step);

    LoadedPlugin(std::filesystem::path file, const warden_plugin &table, PluginInfo info);

    std::filesystem::path file_;
    const warden_plugin &table_;
    PluginInfo info_;
    warden_host_ctx ctx_;
    bool initialized_ = false;
    std::vector<std::unique_ptr<WorkerType>> worker_types_;
    std::vector<std::string> warnings_;
};

/// Loads the plugin in `file`, opened and checked by open_plugin_file
/// [WP-LOAD-3]: its ELF headers are checked against the file's size, then the
/// descriptor itself is loaded [WP-LOAD-4]. Symbols its dynamic symbol table
/// exports besides the entry make a warning (LoadedPlugin::warnings), not a
/// refusal. `taken` holds the worker types already offered by other
/// plugins: offering one of them again refuses the plugin, before its init
/// runs [WP-LOAD-6].
///
/// OWNERSHIP: takes the descriptor. Once the dynamic loader has been given
/// it, it stays open for the life of the process, whatever the outcome.
std::variant<std::shared_ptr<LoadedPlugin>, Refusal> load_plugin(PluginFile file,
                                                                 const WorkerTypeOwners &taken);

}  // namespace warden::host
