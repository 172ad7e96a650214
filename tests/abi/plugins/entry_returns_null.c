/* SPDX-License-Identifier: Apache-2.0 */
/* entry_returns_null.c — a plugin that declines every host. Refused at
 * "entry call". */
#include <warden/plugin.h>

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return NULL;
}
