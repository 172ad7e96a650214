// SPDX-License-Identifier: Apache-2.0
// A kit worker's trouble hook as a member function: the states are pure and
// have no worker to call it on.
// expect: trouble must be `static std::string trouble(const warden::kit::View<W> &)`
#include "kit_worker.hpp"

struct Worker : minimal::KitWorker<Worker> {
    using KitWorker::KitWorker;
    std::string trouble(const warden::kit::View<Worker> &) { return {}; }
};

WARDEN_PLUGIN(minimal::KitPlugin<Worker>)
