// host/app/check_config.cpp
#include "app/check_config.hpp"

#include "config/host_config.hpp"

#include <variant>

namespace warden::host {

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
    const std::size_t workers = std::get<HostConfig>(loaded).workers.size();
    out << file.string() << ": valid, " << workers << (workers == 1 ? " worker" : " workers")
        << '\n';
    return 0;
}

}  // namespace warden::host
