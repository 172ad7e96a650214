// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/config_fuzz.cpp — a config file, any bytes, read as the host
// reads it at start and on reload: parsed, then checked against a registry
// of real plugins (the exec sample and the benthos worker, loaded from
// their .so files), each worker's config: block handed to its plugin.
#include "config/host_config.hpp"
#include "plugins/plugin_registry.hpp"

#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace {

warden::host::PluginRegistry *registry = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    spdlog::set_level(spdlog::level::off);
    // The plugins, in a directory of their own the loader trusts.
    char dir_template[] = "/tmp/warden-fuzz-plugins-XXXXXX";
    const char *dir = ::mkdtemp(dir_template);
    if (dir == nullptr) std::abort();
    for (const char *plugin : {WARDEN_FUZZ_EXEC_PLUGIN, WARDEN_FUZZ_BENTHOS_PLUGIN}) {
        const std::filesystem::path target =
            std::filesystem::path(dir) / std::filesystem::path(plugin).filename();
        std::filesystem::copy_file(plugin, target);
        ::chmod(target.c_str(), 0644);
    }
    registry = new warden::host::PluginRegistry();
    registry->load_directory(dir);
    if (registry->find_worker_type("exec") == nullptr ||
        registry->find_worker_type("benthos") == nullptr)
        std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    (void)warden::host::parse_config(text);
    (void)warden::host::load_config(text, *registry);
    return 0;
}
