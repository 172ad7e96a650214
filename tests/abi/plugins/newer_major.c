/* SPDX-License-Identifier: Apache-2.0 */
/* newer_major.c — a plugin built for ABI 2.0. Refused at "ABI check": a
 * major version is never compatible with another. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_MAKE_ABI_VERSION(2, 0),
    .name = WARDEN_STR("newer-major"),
    .version = WARDEN_STR("2.0.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
