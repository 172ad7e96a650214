/* SPDX-License-Identifier: Apache-2.0 */
/* unresolved_symbol.c — a well-formed library that calls a function nothing
 * defines, linked with that check turned off: the dynamic loader refuses it
 * (RTLD_NOW), and the refusal names the plugin's own path. */
#include <warden/plugin.h>

extern int warden_test_defined_nowhere(void);

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    (void)warden_test_defined_nowhere();
    return NULL;
}
