// SPDX-License-Identifier: Apache-2.0
// tests/compile_fail/kit_worker.hpp — the smallest worker on the worker kit,
// for the sources that give it one optional judging hook, rightly or wrongly.
#ifndef WARDEN_TESTS_COMPILE_FAIL_KIT_WORKER_HPP
#define WARDEN_TESTS_COMPILE_FAIL_KIT_WORKER_HPP

#include <warden/kit.hpp>

#include <string>
#include <string_view>

namespace minimal {

template <typename W>
struct KitWorker : warden::kit::ServiceWorker<W> {
    static constexpr std::string_view type_name = "minimal";
    using warden::kit::ServiceWorker<W>::ServiceWorker;
    static std::string derive_desired(const warden::Host &, const warden::Identity &,
                                      std::string_view config) {
        return std::string(config);
    }
    static warden::kit::Plan plan(const warden::Snapshot &, const warden::kit::Observed &) {
        return {};
    }
};

template <typename W>
struct KitPlugin {
    static constexpr std::string_view name = "minimal";
    static constexpr std::string_view version = "1.0.0";
    using WorkerTypes = warden::WorkerTypes<W>;
};

}  // namespace minimal

#endif  // WARDEN_TESTS_COMPILE_FAIL_KIT_WORKER_HPP
