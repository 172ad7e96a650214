// SPDX-License-Identifier: Apache-2.0
// host/app/orphans.cpp
#include "app/orphans.hpp"

#include <string_view>

namespace warden::host {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

bool claimed_by_worker(std::string_view service,
                       const std::vector<std::pair<std::string, std::string>> &workers) {
    for (const auto &[type, name] : workers) {
        const std::string own = type + "-" + name;
        if (service == own || starts_with(service, own + "-")) return true;
    }
    return false;
}

std::vector<std::string> find_orphans(
    const std::vector<std::string> &services, const std::vector<std::string> &worker_types,
    const std::vector<std::pair<std::string, std::string>> &workers) {
    std::vector<std::string> orphans;
    for (const std::string &service : services) {
        bool typed = false;
        for (const std::string &type : worker_types)
            typed = typed || starts_with(service, type + "-");
        if (!typed) continue;
        if (!claimed_by_worker(service, workers)) orphans.push_back(service);
    }
    return orphans;
}

}  // namespace warden::host
