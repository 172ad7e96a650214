// SPDX-License-Identifier: Apache-2.0
// A kit worker's health_text that takes the snapshot rather than the view.
// expect: health_text must be `static std::string health_text(const warden::kit::View<W> &)`
#include "kit_worker.hpp"

struct Worker : minimal::KitWorker<Worker> {
    using KitWorker::KitWorker;
    static std::string health_text(const warden::Snapshot &) { return {}; }
};

WARDEN_PLUGIN(minimal::KitPlugin<Worker>)
