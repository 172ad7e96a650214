// SPDX-License-Identifier: Apache-2.0
// A kit worker with every optional judging hook, rightly declared.
// expect: compiles
#include "kit_worker.hpp"

struct Worker : minimal::KitWorker<Worker> {
    using KitWorker::KitWorker;
    static std::string trouble(const warden::kit::View<Worker> &) { return {}; }
    static std::string health_text(const warden::kit::View<Worker> &) { return "well"; }
    static warden::Decision healthy(const warden::kit::View<Worker> &, std::string reason) {
        return warden::stay(std::move(reason));
    }
};

WARDEN_PLUGIN(minimal::KitPlugin<Worker>)
