/* SPDX-License-Identifier: Apache-2.0 */
/* noop.c — the smallest valid plugin: a table and nothing else. Loads, offers
 * no worker types. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .min_host_minor = 0,
    .name = WARDEN_STR("noop"),
    .version = WARDEN_STR("1.0.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
