// SPDX-License-Identifier: Apache-2.0
// host/app/check_config.cpp
#include "app/check_config.hpp"

#include "config/host_config.hpp"
#include "net/port_registry.hpp"

#include <variant>

namespace warden::host {
namespace {

// What each worker type's own check_config (ABI 1.2) finds, one problem per
// worker. Their ports go to one scratch registry, so two workers asking
// for the same port conflict as they would in the host; none is kept.
std::vector<ConfigProblem> check_with_plugins(const HostConfig &config,
                                              const PluginRegistry &plugins) {
    std::vector<ConfigProblem> problems;
    PortRegistry ports;
    for (const WorkerConfig &worker : config.workers) {
        const WorkerType *type = plugins.find_worker_type(worker.type);
        if (type == nullptr || !type->has_check_config()) continue;
        Result<void> checked = type->check_config(WorkerIdentity{worker.type, worker.name, 0},
                                                  worker.desired_json, ports);
        if (!checked)
            problems.push_back(
                {worker.line, "worker " + worker.label() + ": " + checked.error().message});
    }
    return problems;
}

}  // namespace

int report_problems(const std::filesystem::path &file, const std::vector<ConfigProblem> &problems,
                    std::ostream &out) {
    for (const ConfigProblem &problem : problems) out << describe(file, problem) << '\n';
    out << file.string() << ": " << problems.size()
        << (problems.size() == 1 ? " problem" : " problems") << '\n';
    return problems.empty() ? 0 : 1;
}

int check_config(const std::filesystem::path &file, std::string_view text,
                 const PluginRegistry &plugins, std::ostream &out) {
    auto loaded = load_config(text, plugins);
    if (auto *problems = std::get_if<std::vector<ConfigProblem>>(&loaded))
        return report_problems(file, *problems, out);
    const HostConfig &config = std::get<HostConfig>(loaded);
    if (std::vector<ConfigProblem> problems = check_with_plugins(config, plugins);
        !problems.empty())
        return report_problems(file, problems, out);
    const std::size_t workers = config.workers.size();
    out << file.string() << ": valid, " << workers << (workers == 1 ? " worker" : " workers")
        << '\n';
    return 0;
}

}  // namespace warden::host
