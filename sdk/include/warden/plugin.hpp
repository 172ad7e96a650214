// SPDX-License-Identifier: Apache-2.0
// warden/plugin.hpp — the C++ wrapper over the Warden plugin ABI.
//
// Include this one header to write a plugin in C++. Describe the plugin as a
// class and emit the entry symbol with WARDEN_PLUGIN:
//
//   struct ExecPlugin {
//       static constexpr std::string_view name = "exec-sample";
//       static constexpr std::string_view version = "1.0.0";
//       using WorkerTypes = warden::WorkerTypes<ExecWorker>;
//       // optional:
//       // static constexpr uint32_t min_host_minor = 0;  // 2: ABI 1.2 slots; 3: PUT
//       // static void init(const warden::Host &host);   // may throw
//       // static void shutdown();
//   };
//   WARDEN_PLUGIN(ExecPlugin)
//
// An optional member is left out, or declared public in the form shown: a
// function static, taking the arguments shown and returning void (noexcept
// is fine), min_host_minor a `static constexpr uint32_t`. A member of that
// name in any other form — `static void init(warden::Host &)`, an init that
// is not static or returns a value, a min_host_minor that is an int — does
// not compile, and a static_assert says what is expected: a misdeclared
// member is refused, never silently left uncalled or unread. The same holds
// for the optional members of worker, state and action classes.
//
// See warden/worker.hpp for the worker, state and action classes. The wrapper
// builds the C tables at compile time and catches every exception at the
// boundary; the plugin never sees a raw C struct unless it wants to.
#ifndef WARDEN_PLUGIN_HPP
#define WARDEN_PLUGIN_HPP

#include <warden/plugin.h>
#include <warden/detail/trampolines.hpp>
#include <warden/host.hpp>
#include <warden/snapshot.hpp>
#include <warden/types.hpp>
#include <warden/worker.hpp>

/// Emits `warden_plugin_entry`, returning the table built from PluginClass.
/// Use it once per plugin, in one source file, at namespace scope.
#define WARDEN_PLUGIN(PluginClass)                                              \
    extern "C" WARDEN_PLUGIN_EXPORT const warden_plugin *warden_plugin_entry(   \
        uint32_t host_abi_version) {                                            \
        (void)host_abi_version; /* the host checks the versions and says why */ \
        return &::warden::detail::PluginTable<PluginClass>::table;              \
    }

#endif  // WARDEN_PLUGIN_HPP
