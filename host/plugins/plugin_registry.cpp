// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_registry.cpp
#include "plugins/plugin_registry.hpp"

#include "plugins/plugin_file_check.hpp"
#include "trust/open_trusted.hpp"

#include <spdlog/spdlog.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

namespace warden::host {
namespace {

// Made absolute, with "." and empty components dropped; ".." stays, since
// only the walk knows which directory it leads to.
std::filesystem::path tidy_absolute(const std::filesystem::path &given) {
    std::filesystem::path tidy;
    for (const auto &part : std::filesystem::absolute(given))
        if (!part.empty() && part != ".") tidy /= part;
    return tidy;
}

// The names of the `*.so` entries of the directory open on `dir_fd`, sorted.
Result<std::vector<std::string>> plugin_names(int dir_fd) {
    const int listed = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    if (listed < 0) return fail("cannot be listed: ", std::generic_category().message(errno));
    const std::unique_ptr<DIR, int (*)(DIR *)> dir(::fdopendir(listed), ::closedir);
    if (!dir) {
        const int error = errno;
        ::close(listed);
        return fail("cannot be listed: ", std::generic_category().message(error));
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent *entry = ::readdir(dir.get())) {
        if (std::filesystem::path(entry->d_name).extension() == ".so")
            names.emplace_back(entry->d_name);
        errno = 0;
    }
    if (errno != 0) return fail("cannot be listed: ", std::generic_category().message(errno));
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

PluginRegistry::~PluginRegistry() {
    types_.clear();
    while (!plugins_.empty()) plugins_.pop_back();  // reverse load order
}

void PluginRegistry::load_directory(const std::filesystem::path &given) {
    const std::filesystem::path dir = tidy_absolute(given);
    Result<UniqueFd> opened = open_trusted(dir, TrustedKind::directory);
    if (!opened) {
        // The trust rule names the path that failed; when that is the
        // directory itself, the line names it once.
        std::string cause = opened.error().message;
        const std::string self = dir.string() + " ";
        if (cause.compare(0, self.size(), self) == 0) cause.erase(0, self.size());
        return refuse_directory(dir, std::move(cause));
    }
    Result<std::vector<std::string>> names = plugin_names(opened->fd);
    if (!names) return refuse_directory(dir, names.error().message);
    for (const std::string &name : names.value()) add(opened->fd, name, dir / name);
}

void PluginRegistry::refuse_directory(const std::filesystem::path &dir, std::string cause) {
    spdlog::warn("plugin directory {} refused: {}; its plugins skipped",
                 printable(dir.string(), kMaxPathText), cause);
    records_.push_back(
        PluginRecord{dir, nullptr, Refusal{dir, "directory check", std::move(cause)}});
}

void PluginRegistry::add(int dir_fd, const std::string &name, const std::filesystem::path &file) {
    Result<PluginFile> opened = open_plugin_file(dir_fd, name, file);
    auto loaded = opened ? load_plugin(std::move(opened.value()), owners_)
                         : Refusal{file, "file check", opened.error().message};
    if (auto *refusal = std::get_if<Refusal>(&loaded)) {
        spdlog::warn("{}", refusal->message());
        records_.push_back(PluginRecord{file, nullptr, std::move(*refusal)});
        return;
    }
    auto plugin = std::move(std::get<std::shared_ptr<LoadedPlugin>>(loaded));
    const PluginInfo &info = plugin->info();
    spdlog::info("plugin {} loaded: {} {} (ABI {}), worker types: {}",
                 printable(file.string(), kMaxPathText), info.name, info.version,
                 abi_version_text(info.abi_version), worker_type_names(info));
    for (const std::string &warning : plugin->warnings())
        spdlog::warn("plugin {}: {}", printable(file.string(), kMaxPathText), warning);
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
