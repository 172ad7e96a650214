// SPDX-License-Identifier: Apache-2.0
// host/app/orphans.hpp — services left under the scan dir that no worker
// claims: their name carries a worker type's prefix ("exec-"), but no worker
// in the config owns it (a worker T/N owns T-N and T-N-*). Typically a
// worker removed from the config while the host was not running.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::host {

/// Whether one of `workers` (type, name) owns `service`.
bool claimed_by_worker(std::string_view service,
                       const std::vector<std::pair<std::string, std::string>> &workers);

/// The orphans among `services`, in their order. `workers` are (type, name).
std::vector<std::string> find_orphans(
    const std::vector<std::string> &services, const std::vector<std::string> &worker_types,
    const std::vector<std::pair<std::string, std::string>> &workers);

}  // namespace warden::host
