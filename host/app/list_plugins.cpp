// SPDX-License-Identifier: Apache-2.0
// host/app/list_plugins.cpp
#include "app/list_plugins.hpp"

#include <warden/validation.hpp>

#include <string>

namespace warden::host {

int list_plugins(const PluginRegistry &registry, std::ostream &out) {
    for (const PluginRecord &record : registry.records()) {
        out << printable(record.file.string(), kMaxPathText) << ": ";
        if (record.plugin != nullptr) {
            const PluginInfo &info = record.plugin->info();
            out << info.name << ' ' << info.version << ", ABI "
                << abi_version_text(info.abi_version)
                << ", worker types: " << worker_type_names(info);
            for (const std::string &warning : record.plugin->warnings())
                out << "; warning: " << warning;
            out << '\n';
        } else {
            out << "refused at " << record.refusal->step << ": " << record.refusal->cause << '\n';
        }
    }
    const std::size_t loaded = registry.loaded_count();
    out << loaded << (loaded == 1 ? " plugin" : " plugins") << " loaded, "
        << registry.records().size() - loaded << " refused\n";
    return loaded > 0 ? 0 : 1;
}

}  // namespace warden::host
