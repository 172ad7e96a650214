// SPDX-License-Identifier: Apache-2.0
// raw_cpp_throws.cpp — a worker type written in C++ straight against
// warden/plugin.h, without the SDK's wrapper, whose derive lets an exception
// escape into the host. The host must turn it into an error for that hook.
#include <warden/plugin.h>

#include <stdexcept>

namespace {

warden_status create(warden_host_ctx *, const warden_identity *, warden_worker **) {
    return WARDEN_ERR;
}
void destroy(warden_worker *) {}
warden_status derive(warden_host_ctx *, const warden_identity *, warden_str, warden_json_sink *) {
    throw std::runtime_error("derive escaped");
}
warden_status collect(warden_worker *, const warden_snapshot *, const warden_cancel *,
                      warden_json_sink *) {
    return WARDEN_ERR;
}
warden_status next(warden_worker *, const warden_snapshot *, warden_decision_sink *) {
    return WARDEN_ERR;
}
warden_status execute(warden_worker *, warden_str, const warden_snapshot *, const warden_cancel *) {
    return WARDEN_ERR;
}

const warden_state_info idle = {
    sizeof(warden_state_info), WARDEN_STR("idle"), WARDEN_PHASE_STOPPED, {nullptr, 0}};
const warden_state_info *const states[] = {&idle};

const warden_worker_type raw = {sizeof(warden_worker_type),
                                WARDEN_STR("raw"),
                                {nullptr, 0},
                                states,
                                1,
                                WARDEN_STR("idle"),
                                nullptr,
                                0,
                                create,
                                destroy,
                                derive,
                                collect,
                                next,
                                execute,
                                nullptr};
const warden_worker_type *const types[] = {&raw};

const warden_plugin plugin = {WARDEN_PLUGIN_MAGIC,
                              sizeof(warden_plugin),
                              WARDEN_ABI_VERSION,
                              0,
                              WARDEN_STR("raw-cpp"),
                              WARDEN_STR("1.0.0"),
                              types,
                              1,
                              nullptr,
                              nullptr};

}  // namespace

extern "C" const warden_plugin *warden_plugin_entry(uint32_t) {
    return &plugin;
}
