// SPDX-License-Identifier: Apache-2.0
// tests/compile_fail/minimal_plugin.hpp — the smallest plugin the C++ wrapper
// takes, with none of the optional members. Each test source derives one
// class from it and gives that class one optional member, rightly or wrongly.
#ifndef WARDEN_TESTS_COMPILE_FAIL_MINIMAL_PLUGIN_HPP
#define WARDEN_TESTS_COMPILE_FAIL_MINIMAL_PLUGIN_HPP

#include <warden/plugin.hpp>

#include <string>
#include <string_view>

namespace minimal {

struct Idle {
    static constexpr std::string_view name = "idle";
    static constexpr warden::Phase phase = warden::Phase::stopped;
    warden::Decision next(const warden::Snapshot &) const { return warden::stay(); }
};

struct Poke {
    static constexpr std::string_view name = "poke";
    template <typename W>
    void execute(W &, const warden::Snapshot &, const warden::Cancel &) const {}
};

template <typename State = Idle, typename Action = Poke>
class Worker : public warden::Worker {
public:
    static constexpr std::string_view type_name = "minimal";
    using States = warden::States<State>;
    using Actions = warden::Actions<Action>;
    using InitialState = State;
    using warden::Worker::Worker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &,
                                      std::string_view config) {
        return std::string(config);
    }
    std::string collect(const warden::Snapshot &, const warden::Cancel &) { return "{}"; }
};

template <typename W = Worker<>>
struct Plugin {
    static constexpr std::string_view name = "minimal";
    static constexpr std::string_view version = "1.0.0";
    using WorkerTypes = warden::WorkerTypes<W>;
};

}  // namespace minimal

#endif  // WARDEN_TESTS_COMPILE_FAIL_MINIMAL_PLUGIN_HPP
