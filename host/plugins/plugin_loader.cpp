// host/plugins/plugin_loader.cpp
#include "plugins/plugin_loader.hpp"

#include "plugins/host_services.hpp"
#include "plugins/plugin_file_check.hpp"
#include "plugins/plugin_table.hpp"

#include <warden/validation.hpp>

#include <spdlog/spdlog.h>
#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <exception>
#include <string_view>
#include <utility>

namespace warden::host {

struct LoadedPlugin::Library {
    boost::dll::shared_library library;
};

namespace {

// dlerror() names the file first ("/p/x.so: invalid ELF header"); the refusal
// names it already.
std::string load_error(const std::filesystem::path &file, const std::error_code &ec) {
    const char *text = ::dlerror();
    std::string cause = text != nullptr ? text : ec.message();
    const std::string prefix = file.string() + ": ";
    if (cause.compare(0, prefix.size(), prefix) == 0) cause.erase(0, prefix.size());
    return cause;
}

}  // namespace

std::string Refusal::message() const {
    return "plugin " + file.string() + " refused at " + step + ": " + cause + "; plugin skipped";
}

LoadedPlugin::LoadedPlugin(std::filesystem::path file, std::unique_ptr<Library> library,
                           const warden_plugin &table, PluginInfo info)
    : file_(std::move(file)),
      library_(std::move(library)),
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
                      file_.string());
    }
}

std::variant<std::shared_ptr<LoadedPlugin>, Refusal> load_plugin(const std::filesystem::path &file,
                                                                 const WorkerTypeOwners &taken) {
    // The file and its directory may be changed only by root or the host's
    // user (WP-LOAD-3), so nobody who could not replace the plugin anyway
    // can swap the file between this check and dlopen.
    if (Result<void> checked = check_plugin_file(file); !checked)
        return Refusal{file, "file check", checked.error().message};

    std::string step = "load";
    try {
        return LoadedPlugin::load_steps(file, taken, step);
    } catch (const std::exception &e) {
        return Refusal{file, step,
                       "a C++ exception crossed the plugin boundary: " + printable(e.what())};
    } catch (...) {
        return Refusal{file, step, "a C++ exception crossed the plugin boundary"};
    }
}

std::variant<std::shared_ptr<LoadedPlugin>, Refusal> LoadedPlugin::load_steps(
    const std::filesystem::path &file, const WorkerTypeOwners &taken, std::string &step) {
    // RTLD_NOW: a missing symbol refuses the plugin now, not later in a hook.
    // RTLD_LOCAL: its symbols never satisfy another plugin's.
    // RTLD_NODELETE: never unmapped, even when the handle is closed.
    auto library = std::make_unique<LoadedPlugin::Library>();
    std::error_code ec;
    ::dlerror();
    library->library.load(file,
                          boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                              static_cast<boost::dll::load_mode::type>(RTLD_NODELETE),
                          ec);
    if (ec || !library->library.is_loaded()) return Refusal{file, step, load_error(file, ec)};

    step = "entry lookup";
    if (!library->library.has(WARDEN_PLUGIN_ENTRY_SYMBOL))
        return Refusal{file, step,
                       "no symbol " WARDEN_PLUGIN_ENTRY_SYMBOL
                       " (not a Warden plugin, or built without WARDEN_PLUGIN)"};
    auto &entry = library->library.get<const warden_plugin *(uint32_t)>(WARDEN_PLUGIN_ENTRY_SYMBOL);

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
            return Refusal{
                file, step,
                "worker type '" + type.name + "' is already offered by " + owner->second.string()};

    step = "init";
    std::shared_ptr<LoadedPlugin> plugin(
        new LoadedPlugin(file, std::move(library), *table, std::move(info)));
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
