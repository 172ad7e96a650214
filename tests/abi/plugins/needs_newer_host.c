/* needs_newer_host.c — a plugin built for ABI 1.3 that needs at least a 1.2
 * host. Refused at "ABI check" by a 1.0 host. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_MAKE_ABI_VERSION(1, 3),
    .min_host_minor = 2,
    .name = WARDEN_STR("needs-newer-host"),
    .version = WARDEN_STR("1.3.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
