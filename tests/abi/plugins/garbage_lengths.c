/* SPDX-License-Identifier: Apache-2.0 */
/* garbage_lengths.c — a table whose name claims to be 2^62 bytes long, as a
 * plugin with a corrupt table would. The host must refuse it at "plugin table
 * check" without reading those bytes, and go on. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = {"garbage", (size_t)1 << 62},
    .version = WARDEN_STR("1.0.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
