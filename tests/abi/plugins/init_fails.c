/* SPDX-License-Identifier: Apache-2.0 */
/* init_fails.c — init says why it fails through set_error and returns an
 * expected-failure status. Refused at "init", with that reason. */
#include <warden/plugin.h>

static warden_status init(const warden_host_services *host, warden_host_ctx *ctx) {
    static const warden_str reason =
        WARDEN_STR("cannot open /etc/frobnicator.conf: No such file or directory");
    host->set_error(ctx, reason);
    return WARDEN_ERR_NOT_FOUND;
}

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR("init-fails"),
    .version = WARDEN_STR("1.0.0"),
    .init = init,
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
