// host/config/host_config.cpp
#include "config/host_config.hpp"

#include "config/yaml_to_json.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/file_ops.hpp"
#include "s6/service_name.hpp"

#include <warden/validation.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>

namespace warden::host {
namespace {

constexpr const char *kTopKeys =
    "scan_dir, plugin_dirs, log_level, log_format, stop_services_on_exit, supervisor, workers";
constexpr const char *kSupervisorKeys =
    "tick_ms, observation_interval_ms, idle_observation_interval_ms, collect_timeout_ms, "
    "stale_after_ms, collector_timeout_ms, collector_restarts, exit_budget_ms";
constexpr const char *kWorkerKeys = "type, name, desired_state, config";

int line_of(const YAML::Node &node) {
    return node.Mark().line + 1;
}

// Collects problems while the file is read.
class Reader {
public:
    std::vector<ConfigProblem> problems;

    void problem(const YAML::Node &node, std::string message) {
        problems.push_back(ConfigProblem{line_of(node), std::move(message)});
    }

    // A scalar's text, or a problem saying `what` must be one.
    std::optional<std::string> text(const YAML::Node &node, const std::string &what) {
        if (node.IsScalar()) return node.Scalar();
        problem(node, what + ": must be a single value, not a list or mapping");
        return std::nullopt;
    }

    std::optional<std::filesystem::path> absolute_path(const YAML::Node &node,
                                                       const std::string &what) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (value->empty() || (*value)[0] != '/') {
            problem(node, what + ": must be an absolute path, got '" + printable(*value, 80) + "'");
            return std::nullopt;
        }
        return std::filesystem::path(*value);
    }

    std::optional<std::string> one_of(const YAML::Node &node, const std::string &what,
                                      const std::set<std::string> &allowed, const char *listed) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (allowed.count(*value) == 0) {
            problem(node, what + ": '" + printable(*value, 40) + "' is not one of " + listed);
            return std::nullopt;
        }
        return value;
    }

    std::optional<bool> boolean(const YAML::Node &node, const std::string &what) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (node.Tag() == "?" && (*value == "true" || *value == "True" || *value == "TRUE"))
            return true;
        if (node.Tag() == "?" && (*value == "false" || *value == "False" || *value == "FALSE"))
            return false;
        problem(node, what + ": must be true or false, got '" + printable(*value, 40) + "'");
        return std::nullopt;
    }

    // A whole number from `low` to `high`.
    std::optional<long> whole_number(const YAML::Node &node, const std::string &what, long low,
                                     long high) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        char *end = nullptr;
        errno = 0;
        const long n = std::strtol(value->c_str(), &end, 10);
        if (value->empty() || *end != '\0' || errno != 0 || n < low || n > high) {
            problem(node, what + ": must be a whole number from " + std::to_string(low) + " to " +
                              std::to_string(high) + ", got '" + printable(*value, 40) + "'");
            return std::nullopt;
        }
        return n;
    }

    void supervisor(const YAML::Node &node, SupervisorSettings &out) {
        if (!node.IsMap()) {
            problem(node, std::string("supervisor: must be a mapping (") + kSupervisorKeys + ")");
            return;
        }
        using ms = std::chrono::milliseconds;
        const std::pair<const char *, ms SupervisorSettings::*> clocks[] = {
            {"tick_ms", &SupervisorSettings::tick},
            {"observation_interval_ms", &SupervisorSettings::observation_interval},
            {"idle_observation_interval_ms", &SupervisorSettings::idle_observation_interval},
            {"collect_timeout_ms", &SupervisorSettings::collect_timeout},
            {"stale_after_ms", &SupervisorSettings::stale_after},
            {"collector_timeout_ms", &SupervisorSettings::collector_timeout},
            {"exit_budget_ms", &SupervisorSettings::exit_budget},
        };
        for (const auto &[key, value] : entries(node, "supervisor: ")) {
            const auto clock = std::find_if(std::begin(clocks), std::end(clocks),
                                            [&](const auto &c) { return key == c.first; });
            if (clock != std::end(clocks)) {
                if (auto n = whole_number(value, "supervisor." + key, 1, 3'600'000))
                    out.*(clock->second) = ms(*n);
            } else if (key == "collector_restarts") {
                if (auto n = whole_number(value, "supervisor.collector_restarts", 0, 100))
                    out.collector_restarts = static_cast<int>(*n);
            } else {
                problem(value,
                        "supervisor: unknown key '" + key + "' (known: " + kSupervisorKeys + ")");
            }
        }
        if (out.stale_after > out.collector_timeout)
            problem(node,
                    "supervisor: stale_after_ms must not be longer than collector_timeout_ms");
        if (out.idle_observation_interval < out.observation_interval)
            problem(node,
                    "supervisor: idle_observation_interval_ms must not be shorter than "
                    "observation_interval_ms");
        if (out.idle_observation_interval + out.collect_timeout >= out.stale_after)
            problem(node,
                    "supervisor: idle_observation_interval_ms plus collect_timeout_ms "
                    "must be shorter than stale_after_ms, or settled workers go stale");
    }

    // The keys of a mapping, in order; a key given twice is a problem.
    std::vector<std::pair<std::string, YAML::Node>> entries(const YAML::Node &map,
                                                            const std::string &where) {
        std::vector<std::pair<std::string, YAML::Node>> out;
        std::map<std::string, int> seen;
        for (const auto &entry : map) {
            if (!entry.first.IsScalar()) {
                problem(entry.first, where + "a key must be a plain name");
                continue;
            }
            const std::string key = entry.first.Scalar();
            auto [first, fresh] = seen.emplace(key, line_of(entry.first));
            if (!fresh) {
                problem(entry.first, where + "key '" + key + "' appears twice (first at line " +
                                         std::to_string(first->second) + ")");
                continue;
            }
            out.emplace_back(key, entry.second);
        }
        return out;
    }

    std::optional<WorkerConfig> worker(const YAML::Node &node, std::size_t index) {
        const std::string where = "workers[" + std::to_string(index) + "]";
        if (!node.IsMap()) {
            problem(node, where + ": must be a mapping with type, name and config");
            return std::nullopt;
        }
        WorkerConfig worker;
        worker.line = line_of(node);
        bool complete = true;
        YAML::Node config_node;
        for (const auto &[key, value] : entries(node, where + ": ")) {
            if (key == "type") {
                auto type = text(value, where + ".type");
                if (type && !valid_fsm_name(*type)) {
                    problem(value, where + ".type: '" + printable(*type, 40) +
                                       "' is not a worker type name ([a-z][a-z0-9_]{0,31})");
                    type.reset();
                }
                if (type) worker.type = *type;
                complete = complete && type.has_value();
            } else if (key == "name") {
                auto name = text(value, where + ".name");
                if (name && !valid_service_name(*name)) {
                    problem(value, where + ".name: '" + printable(*name, 80) +
                                       "' is not a worker name ([a-z0-9][a-z0-9_-]{0,63})");
                    name.reset();
                }
                if (name) worker.name = *name;
                complete = complete && name.has_value();
            } else if (key == "desired_state") {
                auto state = one_of(value, where + ".desired_state", {"running", "stopped"},
                                    "running, stopped");
                if (state)
                    worker.desired_state =
                        *state == "running" ? WARDEN_DESIRED_RUNNING : WARDEN_DESIRED_STOPPED;
                complete = complete && state.has_value();
            } else if (key == "config") {
                config_node = value;
            } else {
                problem(value, where + ": unknown key '" + key + "' (known: " + kWorkerKeys + ")");
                complete = false;
            }
        }
        if (worker.type.empty() && complete) {
            problem(node, where + ": type is required");
            complete = false;
        }
        if (worker.name.empty() && complete) {
            problem(node, where + ": name is required");
            complete = false;
        }
        if (complete && worker.type.size() + 1 + worker.name.size() > 64) {
            problem(node, where + ": worker " + worker.label() + " would own services named '" +
                              worker.type + "-" + worker.name +
                              "', longer than the 64 characters a service name may have");
            complete = false;
        }
        if (config_node.IsDefined() && !config_node.IsNull()) {
            if (!config_node.IsMap()) {
                problem(config_node, where + ".config: must be a mapping");
                complete = false;
            } else {
                auto json = yaml_to_json(config_node);
                if (auto *p = std::get_if<ConfigProblem>(&json)) {
                    problems.push_back(ConfigProblem{p->line, where + ".config: " + p->message});
                    complete = false;
                } else {
                    worker.config_json = std::get<nlohmann::json>(json).dump();
                }
            }
        }
        if (!complete) return std::nullopt;
        return worker;
    }
};

}  // namespace

ParsedConfig parse_config(std::string_view text) {
    ParsedConfig parsed;
    HostConfig &config = parsed.config;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception &e) {
        parsed.problems.push_back({e.mark.line + 1, "not valid YAML: " + e.msg});
        return parsed;
    }
    if (root.IsNull()) return parsed;  // an empty file: a host with nothing to run
    if (!root.IsMap()) {
        parsed.problems.push_back(
            {line_of(root), std::string("the file must be a mapping of keys (") + kTopKeys + ")"});
        return parsed;
    }
    Reader reader;

    std::map<std::string, int> worker_lines;  // "type/name" -> line of its first definition
    for (const auto &[key, value] : reader.entries(root, "")) {
        if (key == "scan_dir") {
            if (auto path = reader.absolute_path(value, "scan_dir")) config.scan_dir = *path;
        } else if (key == "plugin_dirs") {
            if (!value.IsSequence()) {
                reader.problem(value, "plugin_dirs: must be a list of absolute paths");
                continue;
            }
            for (std::size_t i = 0; i < value.size(); ++i)
                if (auto path =
                        reader.absolute_path(value[i], "plugin_dirs[" + std::to_string(i) + "]"))
                    config.plugin_dirs.push_back(*path);
        } else if (key == "log_level") {
            if (auto level =
                    reader.one_of(value, "log_level", {"trace", "debug", "info", "warn", "error"},
                                  "trace, debug, info, warn, error"))
                config.log_level = *level;
        } else if (key == "log_format") {
            if (auto format = reader.one_of(value, "log_format", {"text", "json"}, "text, json"))
                config.log_format = *format;
        } else if (key == "stop_services_on_exit") {
            if (auto flag = reader.boolean(value, "stop_services_on_exit"))
                config.stop_services_on_exit = *flag;
        } else if (key == "supervisor") {
            reader.supervisor(value, config.supervisor);
        } else if (key == "workers") {
            if (value.IsNull()) continue;
            if (!value.IsSequence()) {
                reader.problem(value, "workers: must be a list of workers");
                continue;
            }
            for (std::size_t i = 0; i < value.size(); ++i) {
                auto worker = reader.worker(value[i], i);
                if (!worker) continue;
                auto [first, fresh] = worker_lines.emplace(worker->label(), worker->line);
                if (!fresh) {
                    reader.problem(value[i], "worker " + worker->label() +
                                                 " is defined twice (first at line " +
                                                 std::to_string(first->second) + ")");
                    continue;
                }
                config.workers.push_back(std::move(*worker));
            }
        } else {
            reader.problem(value, "unknown key '" + key + "' (known: " + kTopKeys + ")");
        }
    }
    parsed.problems = std::move(reader.problems);
    return parsed;
}

namespace {

// Asks each worker's plugin to derive its desired state; keeps what it gives.
std::vector<ConfigProblem> derive_all(HostConfig &config, const PluginRegistry &plugins) {
    std::vector<ConfigProblem> problems;
    for (WorkerConfig &worker : config.workers) {
        const WorkerType *type = plugins.find_worker_type(worker.type);
        if (type == nullptr) {
            problems.push_back({worker.line, "worker " + worker.label() +
                                                 ": no loaded plugin offers worker type '" +
                                                 worker.type + "'"});
            continue;
        }
        auto desired =
            type->derive_desired(WorkerIdentity{worker.type, worker.name, 0}, worker.config_json);
        if (!desired) {
            problems.push_back(
                {worker.line,
                 "worker " + worker.label() + ": " +
                     (desired.error().kind == ErrorKind::invalid_argument ? "invalid config: "
                                                                          : "") +
                     desired.error().message});
            continue;
        }
        worker.desired_json = std::move(desired).value();
    }
    return problems;
}

}  // namespace

std::variant<HostConfig, std::vector<ConfigProblem>> load_config(std::string_view text,
                                                                 const PluginRegistry &plugins) {
    ParsedConfig parsed = parse_config(text);
    std::vector<ConfigProblem> problems = std::move(parsed.problems);
    for (ConfigProblem &problem : derive_all(parsed.config, plugins))
        problems.push_back(std::move(problem));
    if (problems.empty()) return std::move(parsed.config);
    std::stable_sort(
        problems.begin(), problems.end(),
        [](const ConfigProblem &a, const ConfigProblem &b) { return a.line < b.line; });
    return problems;
}

Result<std::string> read_config_file(const std::filesystem::path &file) {
    auto content = read_file_if_exists(file);
    if (!content)
        return fail("cannot read config file ", file.string(), ": ", content.error().message);
    if (!content.value()) return fail("config file ", file.string(), " does not exist");
    return std::move(*content.value());
}

std::string describe(const std::filesystem::path &file, const ConfigProblem &problem) {
    return problem.line > 0
               ? file.string() + ":" + std::to_string(problem.line) + ": " + problem.message
               : file.string() + ": " + problem.message;
}

}  // namespace warden::host
