// SPDX-License-Identifier: Apache-2.0
// tests/support/plugin_dir.cpp
#include "plugin_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace warden::test {
namespace {

void set_mode(const std::filesystem::path &path, mode_t mode) {
    if (::chmod(path.c_str(), mode) != 0)
        throw std::system_error(errno, std::generic_category(), "chmod " + path.string());
}

}  // namespace

PluginDir::PluginDir() : dir_("warden-plugins"), plugins_(dir_.path() / "plugins") {
    set_mode(dir_.path(), 0755);
    std::filesystem::create_directory(plugins_);
    set_mode(plugins_, 0755);
}

std::filesystem::path PluginDir::link_beside(const std::string &name,
                                             const std::filesystem::path &target) {
    const std::filesystem::path link = dir_.path() / name;
    std::filesystem::create_symlink(target, link);
    return link;
}

std::filesystem::path PluginDir::add(const std::filesystem::path &plugin, const std::string &name,
                                     mode_t mode) {
    const std::filesystem::path target =
        plugins_ / (name.empty() ? plugin.filename().string() : name);
    std::filesystem::copy_file(plugin, target, std::filesystem::copy_options::overwrite_existing);
    set_mode(target, mode);
    return target;
}

std::filesystem::path PluginDir::add_text(const std::string &name, const std::string &content,
                                          mode_t mode) {
    const std::filesystem::path target = plugins_ / name;
    write_file(target, content);
    set_mode(target, mode);
    return target;
}

}  // namespace warden::test
