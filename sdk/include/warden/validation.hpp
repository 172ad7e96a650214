// SPDX-License-Identifier: Apache-2.0
// warden/validation.hpp — the rules the host applies to what a plugin hands
// it: its tables when it loads [WP-ABI-2, WP-TYPE-1], and its decision at
// every `next` [WP-FSM-3].
//
// The host and the SDK's fake host both call these functions, so a plugin
// that passes its own unit tests is not refused later, and the words of every
// refusal are the same in both. They never copy a string from a table before
// checking its length, so a table with garbage lengths gets a refusal, not a
// crash.
//
// THREADING: pure functions; call from any thread.
#ifndef WARDEN_TABLE_CHECK_HPP
#define WARDEN_TABLE_CHECK_HPP

#include <warden/plugin.h>

#include <cstddef>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace warden {

/// Why a table is refused: the load step ("ABI check", "plugin table check",
/// "worker type check") and the cause, one printable line.
struct TableProblem {
    std::string step;
    std::string cause;
};

/// Default timeout of an action that declares none [WP-FSM-4].
inline constexpr uint32_t kDefaultActionTimeoutMs = WARDEN_DEFAULT_ACTION_TIMEOUT_MS;

/// Whether `name` may name a worker type, state, action or port purpose:
/// [a-z][a-z0-9_]{0,31}.
inline bool valid_fsm_name(std::string_view name) {
    if (name.empty() || name.size() > WARDEN_MAX_NAME_BYTES || name[0] < 'a' || name[0] > 'z')
        return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

/// Whether `name` may name a service or a worker: [a-z0-9][a-z0-9_-]{0,63} [WP-SVC-1].
inline bool valid_service_name(std::string_view name) {
    if (name.empty() || name.size() > WARDEN_MAX_SERVICE_NAME_BYTES) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!lower_or_digit && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
}

/// How much of a file's path a message quotes (PATH_MAX).
inline constexpr std::size_t kMaxPathText = 4096;

/// `text` made safe for one log line: control and non-ASCII bytes as \xNN,
/// at most `max` bytes of it, then "..." if there was more.
inline std::string printable(std::string_view text, std::size_t max = 200) {
    std::string out;
    const std::size_t n = text.size() < max ? text.size() : max;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20 || c > 0x7e) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > max) out += "...";
    return out;
}

/// Why worker `who` ("type/name") cannot have `port` for `purpose`: worker
/// `holder` holds it for `held_for` [WP-PORT-1]. The host's words, which the
/// fake host repeats.
inline std::string port_conflict_text(uint32_t port, const std::string &holder,
                                      const std::string &held_for, const std::string &who,
                                      const std::string &purpose) {
    return "port " + std::to_string(port) + " is reserved by worker " + holder + " for " +
           held_for + "; give " + who + " another port" +
           (holder == who ? " for " + purpose : std::string());
}

/// "1.0" for WARDEN_MAKE_ABI_VERSION(1, 0).
inline std::string abi_version_text(uint32_t version) {
    return std::to_string(WARDEN_ABI_MAJOR(version)) + "." +
           std::to_string(WARDEN_ABI_MINOR(version));
}

namespace validation_detail {

#define WARDEN_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
inline constexpr std::size_t kPluginHeadSize = WARDEN_SIZE_THROUGH(warden_plugin, version);
inline constexpr std::size_t kPluginSizeV1_0 = WARDEN_SIZE_THROUGH(warden_plugin, shutdown);
inline constexpr std::size_t kWorkerTypeSizeV1_0 =
    WARDEN_SIZE_THROUGH(warden_worker_type, execute_action);
inline constexpr std::size_t kStateInfoSizeV1_0 =
    WARDEN_SIZE_THROUGH(warden_state_info, description);
inline constexpr std::size_t kActionInfoSizeV1_0 =
    WARDEN_SIZE_THROUGH(warden_action_info, description);
#undef WARDEN_SIZE_THROUGH

// Bounds no real plugin reaches; past them the table is garbage.
inline constexpr uint32_t kMaxWorkerTypes = WARDEN_MAX_WORKER_TYPES;
inline constexpr uint32_t kMaxStates = WARDEN_MAX_STATES;
inline constexpr uint32_t kMaxActions = WARDEN_MAX_ACTIONS;
inline constexpr std::size_t kMaxLabelBytes = WARDEN_MAX_LABEL_BYTES;
inline constexpr std::size_t kMaxDescriptionBytes = WARDEN_MAX_DESCRIPTION_BYTES;

inline std::string hex32(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// A string the table points to, checked for a NULL pointer and a sane length
// before anything reads it. `problem` says what is wrong; empty when fine.
struct Text {
    std::string_view view;
    std::string problem;
};

inline Text text_of(const warden_str &s, std::size_t max) {
    if (s.len == 0) return {};
    if (s.ptr == nullptr) return {{}, "is NULL with length " + std::to_string(s.len)};
    if (s.len > max)
        return {
            {},
            "is " + std::to_string(s.len) + " bytes long (at most " + std::to_string(max) + ")"};
    return {std::string_view(s.ptr, s.len), {}};
}

inline std::optional<TableProblem> problem(const char *step, std::string cause) {
    return TableProblem{step, std::move(cause)};
}

// A name of a type, state or action: valid, or the reason it is not.
inline std::string name_problem(const warden_str &s, const char *what) {
    const Text t = text_of(s, 64);
    if (!t.problem.empty()) return std::string(what) + " name " + t.problem;
    if (!valid_fsm_name(t.view))
        return std::string("invalid ") + what + " name '" + printable(t.view, 64) +
               "' (names are [a-z][a-z0-9_]{0,31})";
    return {};
}

inline std::string description_problem(const warden_str &s, const std::string &where) {
    const Text t = text_of(s, kMaxDescriptionBytes);
    return t.problem.empty() ? std::string() : where + ": description " + t.problem;
}

inline std::optional<TableProblem> check_states(const warden_worker_type &t,
                                                const std::string &type) {
    const char *step = "worker type check";
    if (t.state_count == 0 || t.states == nullptr)
        return problem(step, type + ": declares no states (at least one is required)");
    if (t.state_count > kMaxStates)
        return problem(step, type + ": declares " + std::to_string(t.state_count) +
                                 " states (at most " + std::to_string(kMaxStates) + ")");
    std::set<std::string_view> names;
    for (uint32_t i = 0; i < t.state_count; ++i) {
        const std::string where = type + ", state #" + std::to_string(i);
        const warden_state_info *info = t.states[i];
        if (info == nullptr) return problem(step, where + ": NULL entry in states");
        if (info->struct_size < kStateInfoSizeV1_0)
            return problem(step, where + ": struct_size " + std::to_string(info->struct_size) +
                                     " is smaller than ABI 1.0's " +
                                     std::to_string(kStateInfoSizeV1_0));
        if (std::string p = name_problem(info->name, "state"); !p.empty())
            return problem(step, where + ": " + p);
        const std::string_view name(info->name.ptr, info->name.len);
        if (info->phase < WARDEN_PHASE_STOPPED || info->phase > WARDEN_PHASE_STOPPING)
            return problem(step, type + ", state '" + std::string(name) + "': unknown phase " +
                                     std::to_string(info->phase));
        if (std::string p = description_problem(info->description, where); !p.empty())
            return problem(step, p);
        if (!names.insert(name).second)
            return problem(step, type + ": state '" + std::string(name) + "' is declared twice");
    }
    const Text initial = text_of(t.initial_state, 64);
    if (!initial.problem.empty()) return problem(step, type + ": initial state " + initial.problem);
    if (names.count(initial.view) == 0)
        return problem(step, type + ": initial state '" + printable(initial.view, 64) +
                                 "' is not one of its states");
    return std::nullopt;
}

inline std::optional<TableProblem> check_actions(const warden_worker_type &t,
                                                 const std::string &type) {
    const char *step = "worker type check";
    if (t.action_count > 0 && t.actions == nullptr)
        return problem(step, type + ": action_count is " + std::to_string(t.action_count) +
                                 " but actions is NULL");
    if (t.action_count > kMaxActions)
        return problem(step, type + ": declares " + std::to_string(t.action_count) +
                                 " actions (at most " + std::to_string(kMaxActions) + ")");
    std::set<std::string_view> names;
    for (uint32_t i = 0; i < t.action_count; ++i) {
        const std::string where = type + ", action #" + std::to_string(i);
        const warden_action_info *info = t.actions[i];
        if (info == nullptr) return problem(step, where + ": NULL entry in actions");
        if (info->struct_size < kActionInfoSizeV1_0)
            return problem(step, where + ": struct_size " + std::to_string(info->struct_size) +
                                     " is smaller than ABI 1.0's " +
                                     std::to_string(kActionInfoSizeV1_0));
        if (std::string p = name_problem(info->name, "action"); !p.empty())
            return problem(step, where + ": " + p);
        if (std::string p = description_problem(info->description, where); !p.empty())
            return problem(step, p);
        const std::string_view name(info->name.ptr, info->name.len);
        if (!names.insert(name).second)
            return problem(step, type + ": action '" + std::string(name) + "' is declared twice");
    }
    return std::nullopt;
}

inline std::optional<TableProblem> check_worker_type(const warden_worker_type *t, uint32_t i) {
    const char *step = "worker type check";
    const std::string where = "worker type #" + std::to_string(i);
    if (t == nullptr) return problem(step, where + ": NULL entry in worker_types");
    if (t->struct_size < kWorkerTypeSizeV1_0)
        return problem(step, where + ": struct_size " + std::to_string(t->struct_size) +
                                 " is smaller than ABI 1.0's " +
                                 std::to_string(kWorkerTypeSizeV1_0));
    if (std::string p = name_problem(t->name, "worker type"); !p.empty())
        return problem(step, where + ": " + p);
    const std::string type = "worker type '" + std::string(t->name.ptr, t->name.len) + "'";
    if (std::string p = description_problem(t->description, type); !p.empty())
        return problem(step, p);
    if (t->create == nullptr || t->destroy == nullptr || t->derive_desired_state == nullptr ||
        t->collect_observed_state == nullptr || t->next == nullptr || t->execute_action == nullptr)
        return problem(step, type +
                                 ": a hook is NULL (create, destroy, derive_desired_state, "
                                 "collect_observed_state, next and execute_action are all "
                                 "required)");
    if (auto p = check_states(*t, type)) return p;
    return check_actions(*t, type);
}

inline std::string label_problem(const warden_str &s, const char *what) {
    const Text t = text_of(s, kMaxLabelBytes);
    if (!t.problem.empty()) return std::string(what) + " " + t.problem;
    bool ok = !t.view.empty();
    for (const char c : t.view) ok = ok && c >= 0x21 && c <= 0x7e;
    if (!ok)
        return std::string(what) + " '" + printable(t.view, 64) +
               "' is empty or not printable ASCII without spaces";
    return {};
}

}  // namespace validation_detail

/// Checks a plugin table the way the host does, in the host's order: magic,
/// head size, major version, oldest host minor, table size ("ABI check");
/// name, version and worker type array ("plugin table check"); each worker
/// type, its states and actions ("worker type check"). Returns the first
/// problem, or nothing when the host would accept the table.
inline std::optional<TableProblem> check_plugin_table(
    const warden_plugin &table, uint32_t host_abi_version = WARDEN_ABI_VERSION) {
    using namespace validation_detail;
    const char *abi = "ABI check";
    if (table.magic != WARDEN_PLUGIN_MAGIC)
        return problem(abi, "magic is " + hex32(table.magic) + ", expected " +
                                hex32(WARDEN_PLUGIN_MAGIC) + " (not a Warden plugin table)");
    if (table.struct_size < kPluginHeadSize)
        return problem(abi, "plugin table struct_size is " + std::to_string(table.struct_size) +
                                ", too small for even its fixed head (" +
                                std::to_string(kPluginHeadSize) + " bytes)");
    const uint32_t major = WARDEN_ABI_MAJOR(table.abi_version);
    if (major != WARDEN_ABI_MAJOR(host_abi_version))
        return problem(abi, "built for ABI " + abi_version_text(table.abi_version) +
                                ", this host speaks ABI " + abi_version_text(host_abi_version) +
                                " (major versions differ)");
    if (table.min_host_minor > WARDEN_ABI_MINOR(host_abi_version))
        return problem(abi, "needs a host speaking ABI " + std::to_string(major) + "." +
                                std::to_string(table.min_host_minor) +
                                " or newer, this host speaks ABI " +
                                abi_version_text(host_abi_version));
    if (table.struct_size < kPluginSizeV1_0)
        return problem(abi, "plugin table struct_size is " + std::to_string(table.struct_size) +
                                ", smaller than ABI 1.0's " + std::to_string(kPluginSizeV1_0));

    const char *step = "plugin table check";
    if (std::string p = label_problem(table.name, "plugin name"); !p.empty())
        return problem(step, p);
    if (std::string p = label_problem(table.version, "plugin version"); !p.empty())
        return problem(step, p);
    if (table.worker_type_count > kMaxWorkerTypes)
        return problem(step, "offers " + std::to_string(table.worker_type_count) +
                                 " worker types (at most " + std::to_string(kMaxWorkerTypes) + ")");
    if (table.worker_type_count > 0 && table.worker_types == nullptr)
        return problem(step, "worker_type_count is " + std::to_string(table.worker_type_count) +
                                 " but worker_types is NULL");
    std::set<std::string_view> names;
    for (uint32_t i = 0; i < table.worker_type_count; ++i) {
        if (auto p = check_worker_type(table.worker_types[i], i)) return p;
        const warden_str &name = table.worker_types[i]->name;
        if (!names.insert(std::string_view(name.ptr, name.len)).second)
            return problem("worker type check", "worker type '" + std::string(name.ptr, name.len) +
                                                    "' is offered twice");
    }
    return std::nullopt;
}

/// Why the host refuses the decision `next` submitted for a worker of `type`
/// (both a state and an action, an undeclared name, an unknown signal, a
/// second submit in one `next`); empty when it accepts it.
inline std::string decision_problem(const warden_worker_type &type, const warden_decision &d,
                                    bool already_submitted) {
    if (already_submitted) return "decision_submit called more than once in one next";
    if (d.struct_size < offsetof(warden_decision, signal) + sizeof d.signal)
        return "decision struct_size " + std::to_string(d.struct_size) + " is too small";
    const auto text = [](const warden_str &s) {
        return s.len == 0 || s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
    };
    const std::string_view state = text(d.state);
    const std::string_view action = text(d.action);
    const auto declared = [&](std::string_view name, const auto *const *infos, uint32_t count) {
        for (uint32_t i = 0; i < count; ++i)
            if (text(infos[i]->name) == name) return true;
        return false;
    };
    const std::string type_name(text(type.name));
    if (!state.empty() && !action.empty())
        return "next returned both state '" + printable(state, 64) + "' and action '" +
               printable(action, 64) + "'; it must return one or the other";
    if (!state.empty() && !declared(state, type.states, type.state_count))
        return "next returned state '" + printable(state, 64) + "', which worker type '" +
               type_name + "' does not declare";
    if (!action.empty() && !declared(action, type.actions, type.action_count))
        return "next returned action '" + printable(action, 64) + "', which worker type '" +
               type_name + "' does not declare";
    if (d.signal < WARDEN_SIGNAL_NONE || d.signal > WARDEN_SIGNAL_NEEDS_RESTART)
        return "next returned unknown signal " + std::to_string(d.signal);
    return {};
}

}  // namespace warden

#endif  // WARDEN_TABLE_CHECK_HPP
