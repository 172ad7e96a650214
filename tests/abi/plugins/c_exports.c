/* SPDX-License-Identifier: Apache-2.0 */
/* c_exports.c — a valid plugin as a C author builds it by hand, with plain
 * `cc -shared -fPIC`. Built without -fvisibility=hidden (c_exports.so), it
 * exports a function, a variable and a weak function besides the entry: the
 * host loads it and warns. Built with -fvisibility=hidden (c_hidden.so), it
 * exports the entry alone: no warning. */
#include <warden/plugin.h>

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .min_host_minor = 0,
    .name = WARDEN_STR(PLUGIN_NAME),
    .version = WARDEN_STR("1.0.0"),
};

int c_exports_helper(int value) {
    return value + 1;
}

int c_exports_counter = 1;

__attribute__((weak)) int c_exports_weak(void) {
    return 2;
}

static int kept_to_itself(void) {
    return c_exports_weak() + c_exports_helper(c_exports_counter);
}

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return kept_to_itself() > 0 ? &plugin : 0;
}
