// SPDX-License-Identifier: Apache-2.0
// topic_browser.hpp — where the topic browser Warden ships is installed.
//
// The server (plugins/graphql/server/: server.mjs and its node_modules) is
// installed beside the plugin directory, as `topic-browser/` next to
// `plugins/`: /usr/lib/warden/topic-browser/server.mjs for the packaged
// /usr/lib/warden/plugins/graphql.so, and the same layout in the build
// tree. The plugin finds it from its own file's path, so a build tree and an
// installed tree each run their own.
#pragma once

#include <string>

namespace graphql_plugin {

/// The absolute path of the topic browser's server.mjs, from where the
/// library holding this code was loaded; "" when that cannot be told.
std::string topic_browser_script();

}  // namespace graphql_plugin
