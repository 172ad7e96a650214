// SPDX-License-Identifier: Apache-2.0
// host/app/orphans.cpp
#include "app/orphans.hpp"

#include <set>
#include <string_view>

namespace warden::host {
namespace {

using Names = std::set<std::string, std::less<>>;

// "T-N" for each worker T/N.
Names owned_names(const std::vector<std::pair<std::string, std::string>> &workers) {
    Names names;
    for (const auto &[type, name] : workers) names.insert(type + "-" + name);
    return names;
}

// T-N owns T-N and T-N-*: the service itself or one of its prefixes that
// end before a dash is a worker's name. A lookup per dash, not per worker.
bool owned(std::string_view service, const Names &names) {
    for (std::size_t dash = service.find('-'); dash != std::string_view::npos;
         dash = service.find('-', dash + 1))
        if (names.count(service.substr(0, dash)) != 0) return true;
    return names.count(service) != 0;
}

}  // namespace

bool claimed_by_worker(std::string_view service,
                       const std::vector<std::pair<std::string, std::string>> &workers) {
    return owned(service, owned_names(workers));
}

std::vector<std::string> find_orphans(
    const std::vector<std::string> &services, const std::vector<std::string> &worker_types,
    const std::vector<std::pair<std::string, std::string>> &workers) {
    const Names names = owned_names(workers);
    Names types;
    for (const std::string &type : worker_types) types.insert(type);
    std::vector<std::string> orphans;
    for (const std::string &service : services) {
        const std::size_t dash = service.find('-');
        // A type name has no dash: the service's type is what comes before its first.
        const bool typed = dash != std::string::npos && types.count(service.substr(0, dash)) != 0;
        if (typed && !owned(service, names)) orphans.push_back(service);
    }
    return orphans;
}

}  // namespace warden::host
