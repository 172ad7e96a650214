// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_loader.cpp
#include "plugins/plugin_loader.hpp"

#include "plugin_services/host_services.hpp"
#include "plugins/elf_check.hpp"
#include "plugins/plugin_table.hpp"

#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace warden::host {
namespace {

// dlerror() names the file it was given first ("/proc/self/fd/7: undefined
// symbol: x"); the refusal names the plugin's real path already. The rest
// may quote the plugin (a symbol name), so it is escaped.
std::string load_error(const std::string &loaded_as) {
    const char *text = ::dlerror();
    std::string cause = text != nullptr ? text : "the dynamic loader gave no reason";
    const std::string prefix = loaded_as + ": ";
    if (cause.compare(0, prefix.size(), prefix) == 0) cause.erase(0, prefix.size());
    return printable(cause, 400);
}

}  // namespace

std::string Refusal::message() const {
    return "plugin " + printable(file.string(), kMaxPathText) + " refused at " + step + ": " +
           cause + "; plugin skipped";
}

LoadedPlugin::LoadedPlugin(std::filesystem::path file, const warden_plugin &table, PluginInfo info)
    : file_(std::move(file)),
      table_(table),
      info_(std::move(info)),
      ctx_{"plugin " + info_.name, {}, {}} {}

LoadedPlugin::~LoadedPlugin() {
    worker_types_.clear();
    if (!initialized_ || table_.shutdown == nullptr) return;
    try {
        table_.shutdown();
    } catch (...) {
        spdlog::error("plugin {}: a C++ exception crossed the plugin boundary in shutdown",
                      printable(file_.string(), kMaxPathText));
    }
}

std::variant<std::shared_ptr<LoadedPlugin>, Refusal> load_plugin(PluginFile file,
                                                                 const WorkerTypeOwners &taken) {
    // The dynamic loader maps segments straight from the file: one that
    // claims bytes past its end would kill the host at the first read.
    Result<ElfFacts> elf = inspect_elf_file(file.fd.fd);
    if (!elf) return Refusal{file.path, "ELF check", elf.error().message};
    const std::optional<std::string> exports_warning = extra_symbols_warning(elf.value());

    // The plugin's constructors run inside dlopen. This line is out before
    // they run, so one that kills the host leaves the file named in the log.
    spdlog::info("plugin {}: loading", printable(file.path.string(), kMaxPathText));
    spdlog::default_logger()->flush();

    // The descriptor that was checked is what gets loaded, through its
    // /proc/self/fd name. Once loaded it is never closed, whatever follows:
    // the dynamic loader finds an already-loaded library by the name it was
    // opened under, so once this number is free again a later plugin opened
    // as the same "/proc/self/fd/N" would be handed this library instead of
    // its own. One that did not load is not known by any name: closed.
    const std::string loaded_as = "/proc/self/fd/" + std::to_string(file.fd.fd);

    // RTLD_NOW: a missing symbol refuses the plugin now, not later in a hook.
    // RTLD_LOCAL: its symbols never satisfy another plugin's.
    // RTLD_NODELETE: never unmapped; the handle is never closed either.
    std::string step = "load";
    std::variant<std::shared_ptr<LoadedPlugin>, Refusal> loaded;
    try {
        ::dlerror();
        void *library = ::dlopen(loaded_as.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (library == nullptr) return Refusal{file.path, step, load_error(loaded_as)};
        (void)file.fd.release();
        loaded = LoadedPlugin::load_steps(file.path, library, taken, step);
    } catch (const std::exception &e) {
        return Refusal{file.path, step,
                       "a C++ exception crossed the plugin boundary: " + printable(e.what())};
    } catch (...) {
        return Refusal{file.path, step, "a C++ exception crossed the plugin boundary"};
    }
    if (auto *plugin = std::get_if<std::shared_ptr<LoadedPlugin>>(&loaded);
        plugin != nullptr && exports_warning)
        (*plugin)->warnings_.push_back(*exports_warning);
    return loaded;
}

std::variant<std::shared_ptr<LoadedPlugin>, Refusal> LoadedPlugin::load_steps(
    const std::filesystem::path &file, void *library, const WorkerTypeOwners &taken,
    std::string &step) {
    step = "entry lookup";
    void *symbol = ::dlsym(library, WARDEN_PLUGIN_ENTRY_SYMBOL);
    if (symbol == nullptr)
        return Refusal{file, step,
                       "no symbol " WARDEN_PLUGIN_ENTRY_SYMBOL
                       " (not a Warden plugin, or built without WARDEN_PLUGIN)"};
    using Entry = const warden_plugin *(*)(uint32_t);
    const auto entry = reinterpret_cast<Entry>(symbol);

    step = "entry call";
    const warden_plugin *table = entry(WARDEN_ABI_VERSION);
    if (table == nullptr)
        return Refusal{file, step,
                       WARDEN_PLUGIN_ENTRY_SYMBOL
                           " returned NULL: the plugin declined this host (ABI " +
                           abi_version_text(WARDEN_ABI_VERSION) + ")"};

    step = "ABI check";
    if (auto problem = check_plugin_table(*table))
        return Refusal{file, problem->step, problem->cause};
    PluginInfo info = read_plugin_table(*table);

    step = "worker type registration";
    for (const WorkerTypeInfo &type : info.worker_types)
        if (auto owner = taken.find(type.name); owner != taken.end())
            return Refusal{file, step,
                           "worker type '" + type.name + "' is already offered by " +
                               printable(owner->second.string(), kMaxPathText)};

    step = "init";
    std::shared_ptr<LoadedPlugin> plugin(new LoadedPlugin(file, *table, std::move(info)));
    if (table->init != nullptr) {
        HookError error;
        const warden_status status = table->init(host_services(), &plugin->ctx_);
        if (status != WARDEN_OK) {
            const std::string text = error.take();
            return Refusal{file, step,
                           "init returned " + std::to_string(status) + " (" +
                               warden_status_name(status) +
                               "): " + (text.empty() ? "it gave no reason" : printable(text))};
        }
    }
    plugin->initialized_ = true;
    for (uint32_t i = 0; i < table->worker_type_count; ++i)
        plugin->worker_types_.push_back(std::make_unique<WorkerType>(
            *table->worker_types[i], plugin->info_.worker_types[i], *plugin));
    return plugin;
}

}  // namespace warden::host
