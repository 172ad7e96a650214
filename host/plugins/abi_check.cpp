// host/plugins/abi_check.cpp
#include "plugins/abi_check.hpp"

#include <cstddef>
#include <cstdio>
#include <set>
#include <string>

namespace warden::host {
namespace {

// The size of `T` as ABI 1.0 defined it: up to the end of its last 1.0 field.
// A table from a plugin built against a later minor may be larger; one from
// 1.0 is exactly this large; anything smaller is not a Warden table.
#define WARDEN_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
constexpr size_t kPluginHeadSize = WARDEN_SIZE_THROUGH(warden_plugin, version);  // never moves
constexpr size_t kPluginSizeV1_0 = WARDEN_SIZE_THROUGH(warden_plugin, shutdown);
constexpr size_t kWorkerTypeSizeV1_0 = WARDEN_SIZE_THROUGH(warden_worker_type, execute_action);
constexpr size_t kStateInfoSizeV1_0 = WARDEN_SIZE_THROUGH(warden_state_info, description);
constexpr size_t kActionInfoSizeV1_0 = WARDEN_SIZE_THROUGH(warden_action_info, description);
#undef WARDEN_SIZE_THROUGH

// Bounds that no real plugin reaches; past them the table is garbage.
constexpr uint32_t kMaxWorkerTypes = 256;
constexpr uint32_t kMaxStatesOrActions = 256;
constexpr size_t kMaxLabelBytes = 128;

std::string hex32(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

std::string view_of(const warden_str &s) {
    return s.ptr == nullptr ? std::string() : std::string(s.ptr, s.len);
}

bool valid_label(const warden_str &s) {
    if (s.ptr == nullptr || s.len == 0 || s.len > kMaxLabelBytes) return false;
    for (size_t i = 0; i < s.len; ++i)
        if (s.ptr[i] < 0x21 || s.ptr[i] > 0x7e) return false;
    return true;
}

bool valid_text(const warden_str &s) {
    return s.len == 0 || s.ptr != nullptr;
}

bool valid_phase(int32_t phase) {
    return phase >= WARDEN_PHASE_STOPPED && phase <= WARDEN_PHASE_STOPPING;
}

Result<StateInfo> read_state(const std::string &type, const warden_state_info *info, uint32_t i) {
    const std::string where = "worker type '" + type + "', state #" + std::to_string(i);
    if (info == nullptr) return fail(where, ": NULL entry in states");
    if (info->struct_size < kStateInfoSizeV1_0)
        return fail(where, ": struct_size ", std::to_string(info->struct_size),
                    " is smaller than ABI 1.0's ", std::to_string(kStateInfoSizeV1_0));
    StateInfo s{view_of(info->name), info->phase, view_of(info->description)};
    if (!valid_text(info->name) || !valid_fsm_name(s.name))
        return fail(where, ": invalid state name '", s.name, "' (names are [a-z][a-z0-9_]{0,31})");
    if (!valid_phase(s.phase))
        return fail("worker type '", type, "', state '", s.name, "': unknown phase ",
                    std::to_string(s.phase));
    return s;
}

Result<ActionInfo> read_action(const std::string &type, const warden_action_info *info,
                               uint32_t i) {
    const std::string where = "worker type '" + type + "', action #" + std::to_string(i);
    if (info == nullptr) return fail(where, ": NULL entry in actions");
    if (info->struct_size < kActionInfoSizeV1_0)
        return fail(where, ": struct_size ", std::to_string(info->struct_size),
                    " is smaller than ABI 1.0's ", std::to_string(kActionInfoSizeV1_0));
    ActionInfo a{view_of(info->name),
                 info->timeout_ms == 0 ? kDefaultActionTimeoutMs : info->timeout_ms,
                 view_of(info->description)};
    if (!valid_text(info->name) || !valid_fsm_name(a.name))
        return fail(where, ": invalid action name '", a.name, "' (names are [a-z][a-z0-9_]{0,31})");
    return a;
}

Result<WorkerTypeInfo> read_worker_type(const warden_worker_type *t, uint32_t i) {
    const std::string where = "worker type #" + std::to_string(i);
    if (t == nullptr) return fail(where, ": NULL entry in worker_types");
    if (t->struct_size < kWorkerTypeSizeV1_0)
        return fail(where, ": struct_size ", std::to_string(t->struct_size),
                    " is smaller than ABI 1.0's ", std::to_string(kWorkerTypeSizeV1_0));
    WorkerTypeInfo info;
    info.name = view_of(t->name);
    if (!valid_text(t->name) || !valid_fsm_name(info.name))
        return fail(where, ": invalid worker type name '", info.name,
                    "' (names are [a-z][a-z0-9_]{0,31})");
    const std::string type = "worker type '" + info.name + "'";
    info.description = view_of(t->description);
    if (t->create == nullptr || t->destroy == nullptr || t->derive_desired_state == nullptr ||
        t->collect_observed_state == nullptr || t->next == nullptr || t->execute_action == nullptr)
        return fail(type,
                    ": a hook is NULL (create, destroy, derive_desired_state, "
                    "collect_observed_state, next and execute_action are all required)");

    if (t->state_count == 0 || t->states == nullptr)
        return fail(type, ": declares no states (at least one is required)");
    if (t->state_count > kMaxStatesOrActions)
        return fail(type, ": declares ", std::to_string(t->state_count), " states (at most ",
                    std::to_string(kMaxStatesOrActions), ")");
    std::set<std::string> names;
    for (uint32_t s = 0; s < t->state_count; ++s) {
        Result<StateInfo> state = read_state(info.name, t->states[s], s);
        if (!state) return state.error();
        if (!names.insert(state->name).second)
            return fail(type, ": state '", state->name, "' is declared twice");
        info.states.push_back(std::move(state).value());
    }
    info.initial_state = view_of(t->initial_state);
    if (info.find_state(info.initial_state) == nullptr)
        return fail(type, ": initial state '", info.initial_state, "' is not one of its states");

    if (t->action_count > 0 && t->actions == nullptr)
        return fail(type, ": action_count is ", std::to_string(t->action_count),
                    " but actions is NULL");
    if (t->action_count > kMaxStatesOrActions)
        return fail(type, ": declares ", std::to_string(t->action_count), " actions (at most ",
                    std::to_string(kMaxStatesOrActions), ")");
    names.clear();
    for (uint32_t a = 0; a < t->action_count; ++a) {
        Result<ActionInfo> action = read_action(info.name, t->actions[a], a);
        if (!action) return action.error();
        if (!names.insert(action->name).second)
            return fail(type, ": action '", action->name, "' is declared twice");
        info.actions.push_back(std::move(action).value());
    }
    return info;
}

}  // namespace

bool valid_fsm_name(std::string_view name) {
    if (name.empty() || name.size() > 32) return false;
    if (name[0] < 'a' || name[0] > 'z') return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

Result<void> check_abi(const warden_plugin &table, uint32_t host_abi_version) {
    if (table.magic != WARDEN_PLUGIN_MAGIC)
        return fail("magic is ", hex32(table.magic), ", expected ", hex32(WARDEN_PLUGIN_MAGIC),
                    " (not a Warden plugin table)");
    if (table.struct_size < kPluginHeadSize)
        return fail("plugin table struct_size is ", std::to_string(table.struct_size),
                    ", too small for even its fixed head (", std::to_string(kPluginHeadSize),
                    " bytes)");
    const uint32_t major = WARDEN_ABI_MAJOR(table.abi_version);
    const uint32_t host_major = WARDEN_ABI_MAJOR(host_abi_version);
    const uint32_t host_minor = WARDEN_ABI_MINOR(host_abi_version);
    if (major != host_major)
        return fail("built for ABI ", abi_version_text(table.abi_version),
                    ", this host speaks ABI ", abi_version_text(host_abi_version),
                    " (major versions differ)");
    if (table.min_host_minor > host_minor)
        return fail("needs a host speaking ABI ", std::to_string(major), ".",
                    std::to_string(table.min_host_minor), " or newer, this host speaks ABI ",
                    abi_version_text(host_abi_version));
    if (table.struct_size < kPluginSizeV1_0)
        return fail("plugin table struct_size is ", std::to_string(table.struct_size),
                    ", smaller than ABI 1.0's ", std::to_string(kPluginSizeV1_0));
    return {};
}

Result<PluginInfo> read_plugin_table(const warden_plugin &table) {
    PluginInfo info;
    info.abi_version = table.abi_version;
    info.min_host_minor = table.min_host_minor;
    if (!valid_label(table.name))
        return fail("plugin name '", view_of(table.name),
                    "' is empty, too long or not printable ASCII without spaces");
    info.name = view_of(table.name);
    if (!valid_label(table.version))
        return fail("plugin version '", view_of(table.version),
                    "' is empty, too long or not printable ASCII without spaces");
    info.version = view_of(table.version);
    if (table.worker_type_count > kMaxWorkerTypes)
        return fail("offers ", std::to_string(table.worker_type_count), " worker types (at most ",
                    std::to_string(kMaxWorkerTypes), ")");
    if (table.worker_type_count > 0 && table.worker_types == nullptr)
        return fail("worker_type_count is ", std::to_string(table.worker_type_count),
                    " but worker_types is NULL");
    std::set<std::string> names;
    for (uint32_t i = 0; i < table.worker_type_count; ++i) {
        Result<WorkerTypeInfo> type = read_worker_type(table.worker_types[i], i);
        if (!type) return type.error();
        if (!names.insert(type->name).second)
            return fail("worker type '", type->name, "' is offered twice");
        info.worker_types.push_back(std::move(type).value());
    }
    return info;
}

}  // namespace warden::host
