/* SPDX-License-Identifier: Apache-2.0 */
/* constructor_kills.c — a library whose constructor kills the process it is
 * loaded into (SIGKILL: no handler, no exit code, nothing flushed), before
 * the host can call anything of it. The host's log must name the file
 * already. */
#include <warden/plugin.h>

#include <signal.h>

__attribute__((constructor)) static void kill_the_host(void) {
    raise(SIGKILL);
}

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR("constructor_kills"),
    .version = WARDEN_STR("1.0.0"),
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
