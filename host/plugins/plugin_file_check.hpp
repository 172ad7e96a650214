// host/plugins/plugin_file_check.hpp — may this file be loaded at all?
//
// A plugin runs with the host's privileges, so only files that root or the
// host's own user control are loaded [WP-LOAD-3]: a regular file (not a
// symbolic link) owned by one of them and writable by nobody else, in a
// directory that is likewise owned and not writable by group or others.
// Each error's message is the cause alone ("is a symbolic link; ...").
#pragma once

#include "common/result.hpp"

#include <filesystem>

namespace warden::host {

Result<void> check_plugin_directory(const std::filesystem::path &dir);
Result<void> check_plugin_file(const std::filesystem::path &file);

}  // namespace warden::host
