// SPDX-License-Identifier: Apache-2.0
// warden/detail/trampolines.hpp — the C tables and noexcept trampolines the
// C++ wrapper builds from a plugin's classes. Not for direct use.
//
// Every table is a constexpr object: nothing runs in a static constructor
// [WP-LIFE-3]. Every trampoline is noexcept: warden::Error becomes its status
// plus set_error; any other exception becomes WARDEN_ERR plus set_error plus
// one error log line [WP-ERR-3].
#ifndef WARDEN_DETAIL_TRAMPOLINES_HPP
#define WARDEN_DETAIL_TRAMPOLINES_HPP

#include <warden/host.hpp>
#include <warden/snapshot.hpp>
#include <warden/types.hpp>
#include <warden/worker.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

namespace warden::detail {

// The host services table, kept by init for the trampolines that are not
// given it. One per plugin: the plugin is built with hidden visibility.
inline const warden_host_services *host_services = nullptr;

// ---- optional members ----------------------------------------------------
//
// A class may leave an optional member out. One it declares must have the
// form the static_assert naming it writes out: a member of that name in any
// other form (another signature or type, not static, not constexpr, not
// public) is refused at compile time, never silently left uncalled or
// unread. For each optional member M:
//
//   names_M<T>       T has a member called M, whatever it is;
//   has_M<T>         it has the form the wrapper calls or reads;
//   address_of_M<T>  the type of &T::M (void when it cannot be taken).
//
// names_M looks M up in a class derived from both T and a class with an M of
// its own: the lookup is ambiguous exactly when T has one. A final class
// cannot be derived from; for it, names_M asks whether M's address can be
// taken, which misses an overloaded or inaccessible M. A data member's value
// is read only once &T::M shows a static member of the right type: g++ takes
// naming a non-static one without an object as a hard error, not a mismatch.

#define WARDEN_DETAIL_OPTIONAL_MEMBER(M)                                                        \
    struct own_##M {                                                                            \
        int M;                                                                                  \
    };                                                                                          \
    template <typename T>                                                                       \
    struct beside_##M : T, own_##M {};                                                          \
    template <typename T, typename = void>                                                      \
    struct found_##M##_twice : std::true_type {};                                               \
    template <typename T>                                                                       \
    struct found_##M##_twice<T, std::void_t<decltype(&beside_##M<T>::M)>> : std::false_type {}; \
    template <typename T, typename = void>                                                      \
    struct address_of_##M {                                                                     \
        using type = void;                                                                      \
    };                                                                                          \
    template <typename T>                                                                       \
    struct address_of_##M<T, std::void_t<decltype(&T::M)>> {                                    \
        using type = decltype(&T::M);                                                           \
    };                                                                                          \
    template <typename T>                                                                       \
    inline constexpr bool names_##M =                                                           \
        std::conditional_t<std::is_final_v<T>,                                                  \
                           std::negation<std::is_void<typename address_of_##M<T>::type>>,       \
                           found_##M##_twice<T>>::value;

WARDEN_DETAIL_OPTIONAL_MEMBER(min_host_minor)
WARDEN_DETAIL_OPTIONAL_MEMBER(init)
WARDEN_DETAIL_OPTIONAL_MEMBER(shutdown)
WARDEN_DETAIL_OPTIONAL_MEMBER(description)
WARDEN_DETAIL_OPTIONAL_MEMBER(check_config)
WARDEN_DETAIL_OPTIONAL_MEMBER(timeout_ms)

#undef WARDEN_DETAIL_OPTIONAL_MEMBER

// A plugin class's `static constexpr uint32_t min_host_minor`.
template <typename T, typename = void>
struct constant_min_host_minor : std::false_type {};
template <typename T>
struct constant_min_host_minor<T, std::void_t<std::integral_constant<uint32_t, T::min_host_minor>>>
    : std::true_type {};
template <typename T>
using has_min_host_minor =
    std::conjunction<std::is_same<typename address_of_min_host_minor<T>::type, const uint32_t *>,
                     constant_min_host_minor<T>>;

// A plugin class's `static void init(const warden::Host &)`.
template <typename T, typename = void>
struct has_init : std::false_type {};
template <typename T>
struct has_init<T, std::void_t<decltype(T::init(std::declval<const Host &>()))>>
    : std::is_void<decltype(T::init(std::declval<const Host &>()))> {};

// A plugin class's `static void shutdown()`.
template <typename T, typename = void>
struct has_shutdown : std::false_type {};
template <typename T>
struct has_shutdown<T, std::void_t<decltype(T::shutdown())>>
    : std::is_void<decltype(T::shutdown())> {};

// A worker, state or action class's `static constexpr std::string_view
// description`.
template <typename T, typename = void>
struct constant_description : std::false_type {};
template <typename T>
struct constant_description<T,
                            std::void_t<std::integral_constant<std::size_t, T::description.size()>>>
    : std::true_type {};
template <typename T>
using has_description = std::conjunction<
    std::is_same<typename address_of_description<T>::type, const std::string_view *>,
    constant_description<T>>;

template <typename T>
constexpr std::string_view description_of() {
    if constexpr (has_description<T>::value) {
        return T::description;
    } else {
        return {};
    }
}

// A worker class's optional check_config hook (ABI 1.2) [WP-FSM-7].
template <typename T>
using check_config_result =
    decltype(T::check_config(std::declval<const Host &>(), std::declval<const Identity &>(),
                             std::declval<std::string_view>(), std::declval<const Cancel &>()));
template <typename T, typename = void>
struct has_check_config : std::false_type {};
template <typename T>
struct has_check_config<T, std::void_t<check_config_result<T>>>
    : std::is_void<check_config_result<T>> {};

// An action class's `static constexpr uint32_t timeout_ms`.
template <typename T, typename = void>
struct constant_timeout_ms : std::false_type {};
template <typename T>
struct constant_timeout_ms<T, std::void_t<std::integral_constant<uint32_t, T::timeout_ms>>>
    : std::true_type {};
template <typename T>
using has_timeout_ms =
    std::conjunction<std::is_same<typename address_of_timeout_ms<T>::type, const uint32_t *>,
                     constant_timeout_ms<T>>;

// ---- exceptions to statuses ------------------------------------------------

// Reports an exception that escaped a hook ("uncaught exception in
// execute_action(start): what"). Never throws: if even the message cannot be
// built, a fixed text is reported instead.
inline void report_unexpected(const Host &host, std::string_view hook, std::string_view detail,
                              const char *what) noexcept {
    try {
        std::string message = "uncaught exception in ";
        message.append(hook);
        if (!detail.empty()) message.append("(").append(detail).append(")");
        message.append(": ").append(what);
        host.set_error(message);
        host.error(message);
    } catch (...) {
        host.set_error("uncaught exception in a plugin hook (out of memory)");
        host.error("uncaught exception in a plugin hook (out of memory)");
    }
}

// Runs a hook's body, turning every exception into a status [WP-ERR-3].
template <typename Body>
warden_status guard(const Host &host, std::string_view hook, std::string_view detail,
                    Body &&body) noexcept {
    try {
        return body();
    } catch (const Error &e) {
        host.set_error(e.what());
        return e.status() == WARDEN_OK ? WARDEN_ERR : e.status();
    } catch (const std::exception &e) {
        report_unexpected(host, hook, detail, e.what());
    } catch (...) {
        report_unexpected(host, hook, detail, "an exception not derived from std::exception");
    }
    return WARDEN_ERR;
}

// ---- tables ----------------------------------------------------------------

template <typename State>
struct StateInfo {
    static_assert(has_description<State>::value || !names_description<State>,
                  "a state's description must be a public `static constexpr std::string_view "
                  "description`");
    static constexpr warden_state_info info = {sizeof(warden_state_info), str(State::name),
                                               static_cast<int32_t>(State::phase),
                                               str(description_of<State>())};
};

template <typename Action>
constexpr uint32_t timeout_of() {
    if constexpr (has_timeout_ms<Action>::value) {
        return Action::timeout_ms;
    } else {
        return 0;
    }
}

template <typename Action>
struct ActionInfo {
    static_assert(has_timeout_ms<Action>::value || !names_timeout_ms<Action>,
                  "an action's timeout_ms must be a public `static constexpr uint32_t timeout_ms`");
    static_assert(has_description<Action>::value || !names_description<Action>,
                  "an action's description must be a public `static constexpr std::string_view "
                  "description`");
    static constexpr warden_action_info info = {sizeof(warden_action_info), str(Action::name),
                                                timeout_of<Action>(),
                                                str(description_of<Action>())};
};

template <typename List>
struct StateTable;
template <typename... S>
struct StateTable<States<S...>> {
    static_assert(sizeof...(S) > 0, "a worker type needs at least one state");
    static constexpr std::array<const warden_state_info *, sizeof...(S)> infos = {
        &StateInfo<S>::info...};

    template <typename W>
    static Decision next(std::string_view current, const Snapshot &snapshot) {
        Decision decision = stay();
        bool found = ((current == S::name ? (decision = S{}.next(snapshot), true) : false) || ...);
        if (!found)
            throw Error(WARDEN_ERR_INVALID_ARGUMENT, "unknown state '" + std::string(current) +
                                                         "' for worker type " +
                                                         std::string(W::type_name));
        return decision;
    }
};

template <typename List>
struct ActionTable;
template <typename... A>
struct ActionTable<Actions<A...>> {
    static constexpr std::array<const warden_action_info *, sizeof...(A)> infos = {
        &ActionInfo<A>::info...};

    template <typename W>
    static void execute(std::string_view name, W &worker, const Snapshot &snapshot,
                        const Cancel &cancel) {
        bool found =
            ((name == A::name ? (A{}.execute(worker, snapshot, cancel), true) : false) || ...);
        if (!found)
            throw Error(WARDEN_ERR_INVALID_ARGUMENT, "unknown action '" + std::string(name) +
                                                         "' for worker type " +
                                                         std::string(W::type_name));
    }
};

template <typename W>
struct WorkerTypeTable {
    static_assert(has_description<W>::value || !names_description<W>,
                  "a worker class's description must be a public `static constexpr "
                  "std::string_view description`");
    static_assert(has_check_config<W>::value || !names_check_config<W>,
                  "check_config must be a public `static void check_config(const warden::Host &, "
                  "const warden::Identity &, std::string_view desired_json, const "
                  "warden::Cancel &)`");

    using StateList = StateTable<typename W::States>;
    using ActionList = ActionTable<typename W::Actions>;

    static W *self(warden_worker *worker) noexcept { return reinterpret_cast<W *>(worker); }

    static warden_status create(warden_host_ctx *ctx, const warden_identity *identity,
                                warden_worker **out) noexcept {
        const Host host(host_services, ctx);
        return guard(host, "create", {}, [&] {
            *out =
                reinterpret_cast<warden_worker *>(new W(WorkerContext{host, Identity(identity)}));
            return WARDEN_OK;
        });
    }

    // A destructor is noexcept: there is nothing to catch here.
    static void destroy(warden_worker *worker) noexcept { delete self(worker); }

    static warden_status derive(warden_host_ctx *ctx, const warden_identity *identity,
                                warden_str config_json, warden_json_sink *out) noexcept {
        const Host host(host_services, ctx);
        return guard(host, "derive_desired_state", {}, [&] {
            const std::string desired =
                W::derive_desired(host, Identity(identity), view(config_json));
            return host_services->json_sink_write(out, str(desired));
        });
    }

    static warden_status collect(warden_worker *worker, const warden_snapshot *snapshot,
                                 const warden_cancel *cancel, warden_json_sink *out) noexcept {
        W *w = self(worker);
        return guard(w->host(), "collect_observed_state", {}, [&] {
            const std::string observed =
                w->collect(Snapshot(snapshot), Cancel(host_services, cancel));
            return host_services->json_sink_write(out, str(observed));
        });
    }

    static warden_status next(warden_worker *worker, const warden_snapshot *snapshot,
                              warden_decision_sink *out) noexcept {
        W *w = self(worker);
        return guard(w->host(), "next", {}, [&] {
            const Snapshot s(snapshot);
            const Deciding<W> deciding(w);
            const Decision d = StateList::template next<W>(s.state(), s);
            warden_decision c = WARDEN_INIT(warden_decision);
            c.state = str(d.state());
            c.action = str(d.action());
            c.reason = str(d.reason());
            c.signal = static_cast<int32_t>(d.signal());
            return host_services->decision_submit(out, &c);
        });
    }

    static warden_status execute(warden_worker *worker, warden_str action,
                                 const warden_snapshot *snapshot,
                                 const warden_cancel *cancel) noexcept {
        W *w = self(worker);
        return guard(w->host(), "execute_action", view(action), [&] {
            ActionList::execute(view(action), *w, Snapshot(snapshot),
                                Cancel(host_services, cancel));
            return WARDEN_OK;
        });
    }

    static warden_status check(warden_host_ctx *ctx, const warden_identity *identity,
                               warden_str desired_json, const warden_cancel *cancel) noexcept {
        const Host host(host_services, ctx);
        return guard(host, "check_config", {}, [&] {
            W::check_config(host, Identity(identity), view(desired_json),
                            Cancel(host_services, cancel));
            return WARDEN_OK;
        });
    }

    // NULL unless the worker class declares check_config.
    static constexpr warden_worker_check_config_fn check_hook() {
        if constexpr (has_check_config<W>::value) {
            return &check;
        } else {
            return nullptr;
        }
    }

    static constexpr warden_worker_type table = {
        sizeof(warden_worker_type),
        str(W::type_name),
        str(description_of<W>()),
        StateList::infos.data(),
        static_cast<uint32_t>(StateList::infos.size()),
        str(W::InitialState::name),
        ActionList::infos.data(),
        static_cast<uint32_t>(ActionList::infos.size()),
        &create,
        &destroy,
        &derive,
        &collect,
        &next,
        &execute,
        check_hook(),
    };
};

template <typename List>
struct WorkerTypeList;
template <typename... W>
struct WorkerTypeList<WorkerTypes<W...>> {
    static constexpr std::array<const warden_worker_type *, sizeof...(W)> tables = {
        &WorkerTypeTable<W>::table...};
};

template <typename P>
constexpr uint32_t min_host_minor_of() {
    if constexpr (has_min_host_minor<P>::value) {
        return P::min_host_minor;
    } else {
        return 0;
    }
}

template <typename P>
struct PluginTable {
    static_assert(has_min_host_minor<P>::value || !names_min_host_minor<P>,
                  "min_host_minor must be a public `static constexpr uint32_t min_host_minor`");
    static_assert(has_init<P>::value || !names_init<P>,
                  "init must be a public `static void init(const warden::Host &)`");
    static_assert(has_shutdown<P>::value || !names_shutdown<P>,
                  "shutdown must be a public `static void shutdown()`");

    using Types = WorkerTypeList<typename P::WorkerTypes>;

    static warden_status init(const warden_host_services *services, warden_host_ctx *ctx) noexcept {
        host_services = services;
        const Host host(services, ctx);
        return guard(host, "init", {}, [&] {
            if constexpr (has_init<P>::value) P::init(host);
            return WARDEN_OK;
        });
    }

    static void shutdown() noexcept {
        if constexpr (has_shutdown<P>::value) {
            try {
                P::shutdown();
            } catch (...) {
                // shutdown has no status to return and no context to log on;
                // the plugin is going away either way.
            }
        }
    }

    static constexpr warden_plugin table = {
        WARDEN_PLUGIN_MAGIC,
        sizeof(warden_plugin),
        WARDEN_ABI_VERSION,
        min_host_minor_of<P>(),
        str(P::name),
        str(P::version),
        Types::tables.data(),
        static_cast<uint32_t>(Types::tables.size()),
        &init,
        &shutdown,
    };
};

}  // namespace warden::detail

#endif  // WARDEN_DETAIL_TRAMPOLINES_HPP
