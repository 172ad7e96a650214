// SPDX-License-Identifier: Apache-2.0
// Every optional member, declared as the wrapper expects: it compiles, and
// the tables carry each one. A plugin that declares none of them, and a
// final class (whose members the wrapper finds another way), compile too.
// expect: compiles
#include "minimal_plugin.hpp"

#include <cstdint>
#include <string_view>

namespace {

struct Idle : minimal::Idle {
    static constexpr std::string_view description = "nothing runs";
};

struct Poke : minimal::Poke {
    static constexpr uint32_t timeout_ms = 2500;
    static constexpr std::string_view description = "pokes";
};

class Worker : public minimal::Worker<Idle, Poke> {
public:
    using minimal::Worker<Idle, Poke>::Worker;
    static constexpr std::string_view description = "does nothing";
    static void check_config(const warden::Host &, const warden::Identity &, std::string_view,
                             const warden::Cancel &) {}
};

struct Plugin : minimal::Plugin<Worker> {
    static constexpr uint32_t min_host_minor = 2;
    static void init(const warden::Host &) {}
    static void shutdown() noexcept {}
};

struct FinalPlugin final : minimal::Plugin<> {
    static constexpr uint32_t min_host_minor = 1;
    static void init(const warden::Host &) noexcept {}
};

}  // namespace

WARDEN_PLUGIN(Plugin)

namespace detail = warden::detail;

static_assert(detail::PluginTable<Plugin>::table.min_host_minor == 2);
static_assert(detail::has_init<Plugin>::value && detail::has_shutdown<Plugin>::value);
static_assert(detail::WorkerTypeTable<Worker>::table.description.len == 12);
static_assert(detail::has_check_config<Worker>::value);
static_assert(detail::StateInfo<Idle>::info.description.len == 12);
static_assert(detail::ActionInfo<Poke>::info.timeout_ms == 2500);
static_assert(detail::ActionInfo<Poke>::info.description.len == 5);

using Bare = minimal::Plugin<>;
static_assert(detail::PluginTable<Bare>::table.min_host_minor == 0);
static_assert(!detail::names_init<Bare> && !detail::names_shutdown<Bare>);
static_assert(detail::WorkerTypeTable<minimal::Worker<>>::table.description.len == 0);
static_assert(!detail::has_check_config<minimal::Worker<>>::value);
static_assert(!detail::names_check_config<minimal::Worker<>>);
static_assert(detail::StateInfo<minimal::Idle>::info.description.len == 0);
static_assert(detail::ActionInfo<minimal::Poke>::info.timeout_ms == 0);

static_assert(detail::PluginTable<FinalPlugin>::table.min_host_minor == 1);
static_assert(detail::has_init<FinalPlugin>::value && detail::names_init<FinalPlugin>);
