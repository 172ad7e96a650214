// SPDX-License-Identifier: Apache-2.0
// A kit worker's healthy hook that returns a state's name, not a decision.
// expect: healthy must be `static warden::Decision healthy(const warden::kit::View<W> &
#include "kit_worker.hpp"

struct Worker : minimal::KitWorker<Worker> {
    using KitWorker::KitWorker;
    static std::string_view healthy(const warden::kit::View<Worker> &, std::string) {
        return "running";
    }
};

WARDEN_PLUGIN(minimal::KitPlugin<Worker>)
