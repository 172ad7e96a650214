// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_file_check.hpp — opening one plugin file to load it.
//
// A plugin runs with the host's privileges, so the host loads only what root
// or its own user control [WP-LOAD-3]. Its directory is opened through the
// trust rule (trust/open_trusted.hpp); each file is then opened from that
// directory's descriptor, never by path, without following a link, and
// judged by its own descriptor: a regular file owned by root or the host's
// user and writable by nobody else. The loader maps that very descriptor, so
// what was checked is what runs, whatever happens to the path afterwards.
#pragma once

#include "common/result.hpp"
#include "common/unique_fd.hpp"

#include <filesystem>
#include <string>

namespace warden::host {

/// A plugin file, opened and checked.
struct PluginFile {
    std::filesystem::path path;  ///< for messages: the directory as given, then the name
    UniqueFd fd;                 ///< read-only, on the file that was checked
};

/// Opens `name` in the plugin directory open on `dir_fd` and checks it.
///
/// @param dir_fd a descriptor on a directory that passed the trust rule
/// @param name the file's name in it (no slash)
/// @param path what messages call the file
/// @return the file, or an error whose message is the cause alone
///         ("is a symbolic link; plugins must be regular files")
///
/// OWNERSHIP: the caller owns the returned descriptor; `dir_fd` stays the
/// caller's.
Result<PluginFile> open_plugin_file(int dir_fd, const std::string &name,
                                    std::filesystem::path path);

}  // namespace warden::host
