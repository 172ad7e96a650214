// SPDX-License-Identifier: Apache-2.0
// topic_browser.cpp — finding the topic browser from the plugin's own path.
#include "topic_browser.hpp"

#include <dlfcn.h>

#include <filesystem>

namespace graphql_plugin {

std::string topic_browser_script() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<const void *>(&topic_browser_script), &info) == 0 ||
        info.dli_fname == nullptr)
        return {};
    std::error_code error;
    const std::filesystem::path library = std::filesystem::canonical(info.dli_fname, error);
    if (error) return {};
    // <libdir>/warden/plugins/graphql.so -> <libdir>/warden/topic-browser/server.mjs
    return (library.parent_path().parent_path() / "topic-browser" / "server.mjs").string();
}

}  // namespace graphql_plugin
