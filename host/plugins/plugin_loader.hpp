// host/plugins/plugin_loader.hpp — loading one plugin file, step by step.
//
// load_plugin goes through the steps of docs/plugin-interface.md [WP-LOAD-*]
// in order and stops at the first that fails, returning a Refusal that names
// the file, the step and the cause. It logs nothing itself: the registry
// writes the one log line per refusal.
//
// OWNERSHIP: a LoadedPlugin owns the plugin's context and worker types. Its
// destructor calls the plugin's shutdown; destroy every PluginWorker of the
// plugin first. The library itself is never unmapped: it is opened with
// RTLD_NODELETE, so code a plugin left behind (a thread, an atexit handler)
// never points into freed memory.
// THREADING: load_plugin and ~LoadedPlugin run alone (plugin init and
// shutdown must not overlap anything of the plugin).
#pragma once

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
    std::string step;   ///< e.g. "file check", "load", "ABI check", "init"
    std::string cause;  ///< e.g. "built for ABI 2.0, this host speaks ABI 1.0 (...)"

    /// "plugin FILE refused at STEP: CAUSE; plugin skipped"
    std::string message() const;
};

/// The plugin file offering each worker type loaded so far.
using WorkerTypeOwners = std::map<std::string, std::filesystem::path, std::less<>>;

class LoadedPlugin {
public:
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const std::filesystem::path &file() const { return file_; }
    const PluginInfo &info() const { return info_; }
    const std::vector<std::unique_ptr<WorkerType>> &worker_types() const { return worker_types_; }

private:
    friend std::variant<std::unique_ptr<LoadedPlugin>, Refusal> load_plugin(
        const std::filesystem::path &, const WorkerTypeOwners &);
    struct Library;

    LoadedPlugin(std::filesystem::path file, std::unique_ptr<Library> library,
                 const warden_plugin &table, PluginInfo info);

    std::filesystem::path file_;
    std::unique_ptr<Library> library_;
    const warden_plugin &table_;
    PluginInfo info_;
    warden_host_ctx ctx_;
    bool initialized_ = false;
    std::vector<std::unique_ptr<WorkerType>> worker_types_;
};

/// Loads the plugin at `file` (an absolute path). `taken` holds the worker
/// types already offered by other plugins: offering one of them again refuses
/// the plugin, before its init runs.
std::variant<std::unique_ptr<LoadedPlugin>, Refusal> load_plugin(const std::filesystem::path &file,
                                                                 const WorkerTypeOwners &taken);

}  // namespace warden::host
