// exec_worker.cpp — deriving and observing.
#include "exec_worker.hpp"

#include "exec_desired.hpp"
#include "exec_observed.hpp"

#include <algorithm>
#include <utility>

namespace exec_sample {

// derive_desired is static: the host may call it with no worker made, to
// check a config before anything runs. All the checking is in ExecDesired.
std::string ExecWorker::derive_desired(const warden::Host &, const warden::Identity &identity,
                                       std::string_view config_json) {
    return ExecDesired::from_config(identity, config_json).to_json();
}

// collect asks the host for the service's status (a file read, no process
// spawned) and adds what only the worker knows: how long the process has been
// up (or down), and which config it deployed. A service that is missing or down is a
// fact to report, not an error; only a failing host call throws.
std::string ExecWorker::collect(const warden::Snapshot &, const warden::Cancel &) {
    ExecObserved observed;
    observed.service = host().observe_service(service_name());
    if (observed.service.since_ns > 0) {
        const int64_t for_ms =
            std::max<int64_t>(0, (host().wall_ns() - observed.service.since_ns) / 1'000'000);
        (observed.service.up ? observed.up_for_ms : observed.down_for_ms) = for_ms;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        observed.deployed = deployed_;
    }
    return observed.to_json();
}

void ExecWorker::set_deployed(std::string fingerprint) {
    std::lock_guard<std::mutex> lock(mutex_);
    deployed_ = std::move(fingerprint);
}

}  // namespace exec_sample
