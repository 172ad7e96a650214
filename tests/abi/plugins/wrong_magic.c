/* SPDX-License-Identifier: Apache-2.0 */
/* wrong_magic.c — a table that does not start with WARDEN_PLUGIN_MAGIC.
 * Refused at "ABI check". */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = 0x12345678u,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR("wrong-magic"),
    .version = WARDEN_STR("1.0.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
