// host/plugins/plugin_registry.cpp
#include "plugins/plugin_registry.hpp"

#include "plugins/plugin_file_check.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace warden::host {
PluginRegistry::~PluginRegistry() {
    types_.clear();
    while (!plugins_.empty()) plugins_.pop_back();  // reverse load order
}

void PluginRegistry::load_directory(const std::filesystem::path &given) {
    const std::filesystem::path dir = std::filesystem::absolute(given).lexically_normal();
    if (Result<void> checked = check_plugin_directory(dir); !checked) {
        Refusal refusal{dir, "directory check", checked.error().message};
        spdlog::warn("plugin directory {} refused: {}; its plugins skipped", dir.string(),
                     refusal.cause);
        records_.push_back(PluginRecord{dir, nullptr, std::move(refusal)});
        return;
    }

    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".so") files.push_back(it->path());
    if (ec) {
        Refusal refusal{dir, "directory check", "cannot be listed: " + ec.message()};
        spdlog::warn("plugin directory {} refused: {}; its plugins skipped", dir.string(),
                     refusal.cause);
        records_.push_back(PluginRecord{dir, nullptr, std::move(refusal)});
        return;
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) add(file);
}

void PluginRegistry::add(const std::filesystem::path &file) {
    auto loaded = load_plugin(file, owners_);
    if (auto *refusal = std::get_if<Refusal>(&loaded)) {
        spdlog::warn("{}", refusal->message());
        records_.push_back(PluginRecord{file, nullptr, std::move(*refusal)});
        return;
    }
    auto plugin = std::move(std::get<std::shared_ptr<LoadedPlugin>>(loaded));
    const PluginInfo &info = plugin->info();
    spdlog::info("plugin {} loaded: {} {} (ABI {}), worker types: {}", file.string(), info.name,
                 info.version, abi_version_text(info.abi_version), worker_type_names(info));
    for (const auto &type : plugin->worker_types()) {
        owners_.emplace(type->name(), file);
        types_.emplace(type->name(), type.get());
    }
    records_.push_back(PluginRecord{file, plugin.get(), std::nullopt});
    plugins_.push_back(std::move(plugin));
}

std::vector<std::string> PluginRegistry::offered_worker_types() const {
    std::vector<std::string> names;
    for (const auto &[name, type] : types_) names.push_back(name);
    return names;
}

const WorkerType *PluginRegistry::find_worker_type(std::string_view name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : it->second;
}

}  // namespace warden::host
