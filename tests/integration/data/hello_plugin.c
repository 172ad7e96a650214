/* hello_plugin.c — a plugin written in C99 against warden/plugin.h alone,
 * built with nothing but a C compiler:
 *
 *   cc -std=c99 -pedantic -Wall -Wextra -shared -fPIC $(pkg-config --cflags warden-sdk) \
 *      hello_plugin.c -o hello.so
 *
 * It offers one worker type, "hello", whose workers stay in state "greeting"
 * and report how often they were observed. */
#include <warden/plugin.h>

#include <stdio.h>
#include <stdlib.h>

struct warden_worker {
    unsigned long observations;
};

static const warden_host_services *host;

static warden_status init(const warden_host_services *services, warden_host_ctx *ctx) {
    static const warden_str hello = WARDEN_STR("hello plugin ready");
    host = services;
    host->log_write(ctx, WARDEN_LOG_INFO, hello);
    return WARDEN_OK;
}

static warden_status create(warden_host_ctx *ctx, const warden_identity *identity,
                            warden_worker **out) {
    (void)ctx;
    (void)identity;
    *out = calloc(1, sizeof **out);
    return *out != NULL ? WARDEN_OK : WARDEN_ERR;
}

static void destroy(warden_worker *worker) {
    free(worker);
}

static warden_status derive(warden_host_ctx *ctx, const warden_identity *identity,
                            warden_str config_json, warden_json_sink *out) {
    (void)ctx;
    (void)identity;
    (void)config_json;
    return host->json_sink_write(out, warden_str_from_cstr("{}"));
}

static warden_status collect(warden_worker *worker, const warden_snapshot *snapshot,
                             const warden_cancel *cancel, warden_json_sink *out) {
    char text[64];
    (void)snapshot;
    (void)cancel;
    worker->observations++;
    snprintf(text, sizeof text, "{\"observations\":%lu}", worker->observations);
    return host->json_sink_write(out, warden_str_from_cstr(text));
}

static warden_status next(warden_worker *worker, const warden_snapshot *snapshot,
                          warden_decision_sink *out) {
    warden_decision decision = WARDEN_INIT(warden_decision);
    (void)worker;
    (void)snapshot;
    decision.reason = warden_str_from_cstr("saying hello");
    return host->decision_submit(out, &decision);
}

static warden_status execute(warden_worker *worker, warden_str action,
                             const warden_snapshot *snapshot, const warden_cancel *cancel) {
    (void)worker;
    (void)action;
    (void)snapshot;
    (void)cancel;
    return WARDEN_ERR_INVALID_ARGUMENT; /* declares no actions */
}

static const warden_state_info greeting = {
    .struct_size = sizeof(warden_state_info),
    .name = WARDEN_STR("greeting"),
    .phase = WARDEN_PHASE_RUNNING_HEALTHY,
};
static const warden_state_info *const states[] = {&greeting};

static const warden_worker_type hello_type = {
    .struct_size = sizeof(warden_worker_type),
    .name = WARDEN_STR("hello"),
    .description = WARDEN_STR("says hello"),
    .states = states,
    .state_count = 1,
    .initial_state = WARDEN_STR("greeting"),
    .create = create,
    .destroy = destroy,
    .derive_desired_state = derive,
    .collect_observed_state = collect,
    .next = next,
    .execute_action = execute,
};
static const warden_worker_type *const types[] = {&hello_type};

static const warden_plugin plugin = {
    .magic = WARDEN_PLUGIN_MAGIC,
    .struct_size = sizeof(warden_plugin),
    .abi_version = WARDEN_ABI_VERSION,
    .name = WARDEN_STR("hello"),
    .version = WARDEN_STR("0.1.0"),
    .worker_types = types,
    .worker_type_count = 1,
    .init = init,
};

const warden_plugin *warden_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &plugin;
}
