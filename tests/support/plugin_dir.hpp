// SPDX-License-Identifier: Apache-2.0
// tests/support/plugin_dir.hpp — a plugin directory the host will accept.
//
// Build trees inherit the builder's umask, so tests never point the host at
// them: they copy the plugins they need into a fresh 0755 directory with
// explicit modes, and so test exactly the files and modes they mean to.
// The directory is `plugins/` inside a temp dir of its own, as an installed
// tree has <libdir>/warden/plugins/: what a plugin installs beside that
// directory (the graphql plugin's topic-browser/) can be put there too.
#pragma once

#include "temp_dir.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace warden::test {

class PluginDir {
public:
    PluginDir();

    const std::filesystem::path &path() const { return plugins_; }

    /// Copies `plugin` in as `name` (default: its own file name) with `mode`.
    std::filesystem::path add(const std::filesystem::path &plugin, const std::string &name = {},
                              mode_t mode = 0644);

    /// Makes `name` beside the plugin directory a symbolic link to `target`.
    std::filesystem::path link_beside(const std::string &name, const std::filesystem::path &target);

    /// Writes a file with `content` (say, a .so that is not an ELF file).
    std::filesystem::path add_text(const std::string &name, const std::string &content,
                                   mode_t mode = 0644);

private:
    TempDir dir_;
    std::filesystem::path plugins_;
};

}  // namespace warden::test
