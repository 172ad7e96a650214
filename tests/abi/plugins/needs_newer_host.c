/* SPDX-License-Identifier: Apache-2.0 */
/* needs_newer_host.c — a plugin built for ABI 1.100 that needs at least a
 * 1.99 host: refused at "ABI check" by every host there is. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_MAKE_ABI_VERSION(1, 100),
    .min_host_minor = 99,
    .name = WARDEN_STR("needs-newer-host"),
    .version = WARDEN_STR("1.3.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
