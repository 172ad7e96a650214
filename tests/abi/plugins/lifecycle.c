/* SPDX-License-Identifier: Apache-2.0 */
/* lifecycle.c — logs from init and from shutdown, so a test can see that the
 * host calls each exactly once, in order, and keeps the host table and the
 * plugin context valid until shutdown returns. */
#include <warden/plugin.h>

static const warden_host_services *g_host;
static warden_host_ctx *g_ctx;

static warden_status init(const warden_host_services *host, warden_host_ctx *ctx) {
    static const warden_str message = WARDEN_STR("lifecycle: init");
    g_host = host;
    g_ctx = ctx;
    if (host->log_enabled(ctx, WARDEN_LOG_INFO)) host->log_write(ctx, WARDEN_LOG_INFO, message);
    return WARDEN_OK;
}

static void shutdown(void) {
    static const warden_str message = WARDEN_STR("lifecycle: shutdown");
    g_host->log_write(g_ctx, WARDEN_LOG_INFO, message);
}

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR("lifecycle"),
    .version = WARDEN_STR("1.0.0"),
    .init = init,
    .shutdown = shutdown,
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
