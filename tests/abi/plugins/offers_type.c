/* SPDX-License-Identifier: Apache-2.0 */
/* offers_type.c — a complete worker type written in plain C, named by the
 * build: TYPE_NAME (the worker type) and PLUGIN_NAME. Built as c_worker.so
 * (type "echo") and twice as dup_first.so / dup_second.so (both type "dup"),
 * so the second of those is refused at "worker type registration".
 *
 * The worker has one state, "idle", and one action, "touch". collect counts
 * its calls; derive hands the config back unchanged; shutdown logs a line. */
#include <warden/plugin.h>

#include <stdio.h>
#include <stdlib.h>

#ifndef TYPE_NAME
#error "build with -DTYPE_NAME=\"...\""
#endif
#ifndef PLUGIN_NAME
#error "build with -DPLUGIN_NAME=\"...\""
#endif

struct warden_worker {
    warden_host_ctx *ctx;
    unsigned long collects;
    unsigned long touches;
};

static const warden_host_services *g_host;
static warden_host_ctx *g_ctx;

static warden_status init(const warden_host_services *host, warden_host_ctx *ctx) {
    g_host = host;
    g_ctx = ctx;
    return WARDEN_OK;
}

/* Logged so a test can see shutdown come only after the last worker went. */
static void shutdown(void) {
    static const warden_str message = WARDEN_STR("shutdown after the last worker");
    g_host->log_write(g_ctx, WARDEN_LOG_INFO, message);
}

static warden_status create(warden_host_ctx *ctx, const warden_identity *identity,
                            warden_worker **out) {
    warden_worker *w = calloc(1, sizeof *w);
    (void)identity;
    if (w == NULL) {
        static const warden_str oom = WARDEN_STR("out of memory");
        g_host->set_error(ctx, oom);
        return WARDEN_ERR;
    }
    w->ctx = ctx;
    *out = w;
    return WARDEN_OK;
}

static void destroy(warden_worker *w) {
    free(w);
}

static warden_status derive(warden_host_ctx *ctx, const warden_identity *identity,
                            warden_str config_json, warden_json_sink *out) {
    (void)ctx;
    (void)identity;
    return g_host->json_sink_write(out, config_json);
}

static warden_status collect(warden_worker *w, const warden_snapshot *snapshot,
                             const warden_cancel *cancel, warden_json_sink *out) {
    char text[96];
    int n;
    (void)snapshot;
    (void)cancel;
    w->collects++;
    n = snprintf(text, sizeof text, "{\"collects\":%lu,\"touches\":%lu}", w->collects, w->touches);
    return g_host->json_sink_write(out, (warden_str){text, (size_t)n});
}

static warden_status next(warden_worker *w, const warden_snapshot *snapshot,
                          warden_decision_sink *out) {
    warden_decision d = WARDEN_INIT(warden_decision);
    (void)w;
    if (snapshot->observed_json.len == 0) {
        static const warden_str reason = WARDEN_STR("waiting for the first observation");
        d.reason = reason;
    } else {
        static const warden_str action = WARDEN_STR("touch");
        static const warden_str reason = WARDEN_STR("touching");
        d.action = action;
        d.reason = reason;
    }
    return g_host->decision_submit(out, &d);
}

static warden_status execute(warden_worker *w, warden_str action, const warden_snapshot *snapshot,
                             const warden_cancel *cancel) {
    (void)action;
    (void)snapshot;
    if (g_host->cancel_requested(cancel)) return WARDEN_ERR_CANCELLED;
    w->touches++;
    return WARDEN_OK;
}

static const warden_state_info idle = {
    .struct_size = sizeof(warden_state_info),
    .name = WARDEN_STR("idle"),
    .phase = WARDEN_PHASE_RUNNING_HEALTHY,
    .description = WARDEN_STR("does nothing, healthily"),
};
static const warden_state_info *const states[] = {&idle};

static const warden_action_info touch = {
    .struct_size = sizeof(warden_action_info),
    .name = WARDEN_STR("touch"),
    .timeout_ms = 1000,
};
static const warden_action_info *const actions[] = {&touch};

static const warden_worker_type worker_type = {
    .struct_size = sizeof(warden_worker_type),
    .name = WARDEN_STR(TYPE_NAME),
    .description = WARDEN_STR("a worker type written in C"),
    .states = states,
    .state_count = 1,
    .initial_state = WARDEN_STR("idle"),
    .actions = actions,
    .action_count = 1,
    .create = create,
    .destroy = destroy,
    .derive_desired_state = derive,
    .collect_observed_state = collect,
    .next = next,
    .execute_action = execute,
};
static const warden_worker_type *const worker_types[] = {&worker_type};

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR(PLUGIN_NAME),
    .version = WARDEN_STR("1.0.0"),
    .worker_types = worker_types,
    .worker_type_count = 1,
    .init = init,
    .shutdown = shutdown,
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
