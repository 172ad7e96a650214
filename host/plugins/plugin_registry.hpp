// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_registry.hpp — every plugin the host loaded, and the
// worker types they offer.
//
// The registry loads plugin directories in the order given and the files in
// each in name order, so which of two plugins offering the same worker type
// wins is predictable: the first. Each directory is opened through the trust
// rule (trust/open_trusted.hpp) and listed from that descriptor; each file
// in it is opened from the same descriptor. It writes one log line per
// plugin: loaded, or refused with the file, the step, the cause and "plugin
// skipped"; one more per warning about a plugin it loaded (symbols exported
// besides the entry); and one per directory refused, naming it and the
// cause.
//
// OWNERSHIP: the registry shares the loaded plugins with the workers made
// from them. Its destructor lets go of them in reverse load order; a plugin
// is shut down when the last of the registry and its workers lets go.
// THREADING: load_directory runs alone; the lookups are safe to share once
// loading is done.
#pragma once

#include "plugins/plugin_loader.hpp"
#include "plugins/worker_type.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

/// What happened to one plugin file, or to a whole directory that was refused.
struct PluginRecord {
    std::filesystem::path file;
    const LoadedPlugin *plugin = nullptr;  ///< set when loaded
    std::optional<Refusal> refusal;        ///< set when refused
};

class PluginRegistry {
public:
    PluginRegistry() = default;
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry &) = delete;
    PluginRegistry &operator=(const PluginRegistry &) = delete;

    /// Loads every `*.so` in `dir` (made absolute). A directory that cannot be
    /// used, or fails the trust rule on the way to it, gives one refusal for
    /// the directory itself and none of its plugins is loaded.
    void load_directory(const std::filesystem::path &dir);

    /// Per file (or refused directory), in load order.
    const std::vector<PluginRecord> &records() const { return records_; }

    std::size_t loaded_count() const { return plugins_.size(); }

    /// The worker type `name`, or nullptr when no loaded plugin offers it.
    const WorkerType *find_worker_type(std::string_view name) const;

    /// The names of every worker type offered, sorted.
    std::vector<std::string> offered_worker_types() const;

private:
    void refuse_directory(const std::filesystem::path &dir, std::string cause);
    void add(int dir_fd, const std::string &name, const std::filesystem::path &file);

    std::vector<std::shared_ptr<LoadedPlugin>> plugins_;
    std::vector<PluginRecord> records_;
    WorkerTypeOwners owners_;
    std::map<std::string, const WorkerType *, std::less<>> types_;
};

}  // namespace warden::host
