// SPDX-License-Identifier: Apache-2.0
// host/config/host_config.cpp
#include "config/host_config.hpp"

#include "config/core_schema.hpp"
#include "config/yaml_document.hpp"
#include "config/yaml_to_json.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/service_name.hpp"

#include <warden/validation.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <set>

namespace warden::host {
namespace {

constexpr const char *kTopKeys =
    "scan_dir, plugin_dirs, log_level, log_format, service_user, stop_services_on_exit, "
    "supervisor, metrics, workers";
constexpr const char *kMetricsKeys = "listen";
constexpr const char *kSupervisorKeys =
    "tick_ms, observation_interval_ms, idle_observation_interval_ms, collect_timeout_ms, "
    "stale_after_ms, collector_timeout_ms, collector_restarts, exit_budget_ms";
constexpr const char *kWorkerKeys = "type, name, desired_state, config";
constexpr const char *kNoWorkersHint = "to run no workers, write `workers: []`";

// Collects problems while the file is read.
class Reader {
public:
    std::vector<ConfigProblem> problems;

    void problem(const YamlNode &node, std::string message) {
        problems.push_back(ConfigProblem{node.line, std::move(message)});
    }

    // A scalar's text, or a problem saying `what` must be one.
    std::optional<std::string> text(const YamlNode &node, const std::string &what) {
        if (node.is_scalar()) return node.text;
        problem(node, what + ": must be a single value, not a list or mapping");
        return std::nullopt;
    }

    std::optional<std::filesystem::path> absolute_path(const YamlNode &node,
                                                       const std::string &what) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (value->empty() || (*value)[0] != '/') {
            problem(node, what + ": must be an absolute path, got '" + printable(*value, 80) + "'");
            return std::nullopt;
        }
        return std::filesystem::path(*value);
    }

    std::optional<std::string> one_of(const YamlNode &node, const std::string &what,
                                      const std::set<std::string> &allowed, const char *listed) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (allowed.count(*value) == 0) {
            problem(node, what + ": '" + printable(*value, 40) + "' is not one of " + listed);
            return std::nullopt;
        }
        return value;
    }

    std::optional<bool> boolean(const YamlNode &node, const std::string &what) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        if (node.plain)
            if (auto flag = core_boolean(*value)) return flag;
        problem(node, what + ": must be true or false, got '" + printable(*value, 40) + "'");
        return std::nullopt;
    }

    // A whole number from `low` to `high`.
    std::optional<long> whole_number(const YamlNode &node, const std::string &what, long low,
                                     long high) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        char *end = nullptr;
        errno = 0;
        const long n = std::strtol(value->c_str(), &end, 10);
        // The end, not the first NUL: a quoted "5\0x" is no number.
        if (value->empty() || end != value->c_str() + value->size() || errno != 0 || n < low ||
            n > high) {
            problem(node, what + ": must be a whole number from " + std::to_string(low) + " to " +
                              std::to_string(high) + ", got '" + printable(*value, 40) + "'");
            return std::nullopt;
        }
        return n;
    }

    void supervisor(const YamlNode &node, SupervisorSettings &out) {
        if (!node.is_map()) {
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
            const std::string &name = key;  // a lambda may not capture a structured binding (C++17)
            const auto clock = std::find_if(std::begin(clocks), std::end(clocks),
                                            [&](const auto &c) { return name == c.first; });
            if (clock != std::end(clocks)) {
                if (auto n = whole_number(*value, "supervisor." + key, 1, 3'600'000))
                    out.*(clock->second) = ms(*n);
            } else if (key == "collector_restarts") {
                if (auto n = whole_number(*value, "supervisor.collector_restarts", 0, 100))
                    out.collector_restarts = static_cast<int>(*n);
            } else {
                problem(*value, "supervisor: unknown key '" + printable(key, 80) +
                                    "' (known: " + kSupervisorKeys + ")");
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

    void metrics(const YamlNode &node, HostConfig &config) {
        if (!node.is_map()) {
            problem(node, std::string("metrics: must be a mapping (") + kMetricsKeys +
                              "); to turn the endpoint off, remove the block");
            return;
        }
        bool has_listen = false;
        for (const auto &[key, value] : entries(node, "metrics: ")) {
            if (key != "listen") {
                problem(*value, "metrics: unknown key '" + printable(key, 80) +
                                    "' (known: " + kMetricsKeys + ")");
                continue;
            }
            has_listen = true;
            auto text = this->text(*value, "metrics.listen");
            if (!text) continue;
            std::string why;
            if (auto address = parse_listen_address(*text, why))
                config.metrics_listen = *address;
            else
                problem(*value, "metrics.listen: '" + printable(*text, 80) + "': " + why);
        }
        if (!has_listen)
            problem(node, "metrics: listen is required, such as `listen: 127.0.0.1:9478`");
    }

    // The keys of a mapping, in order; a key given twice is a problem.
    std::vector<std::pair<std::string, const YamlNode *>> entries(const YamlNode &map,
                                                                  const std::string &where) {
        std::vector<std::pair<std::string, const YamlNode *>> out;
        std::map<std::string, int> seen;
        for (const YamlEntry &entry : map.entries) {
            if (!entry.key->is_scalar()) {
                problem(*entry.key, where + "a key must be a plain name");
                continue;
            }
            const std::string &key = entry.key->text;
            auto [first, fresh] = seen.emplace(key, entry.key->line);
            if (!fresh) {
                problem(*entry.key, where + "key '" + printable(key, 80) +
                                        "' appears twice (first at line " +
                                        std::to_string(first->second) + ")");
                continue;
            }
            out.emplace_back(key, entry.value);
        }
        return out;
    }

    std::optional<WorkerConfig> worker(const YamlNode &node, std::size_t index) {
        const std::string where = "workers[" + std::to_string(index) + "]";
        if (!node.is_map()) {
            problem(node, where + ": must be a mapping with type, name and config");
            return std::nullopt;
        }
        WorkerConfig worker;
        worker.line = node.line;
        bool complete = true;
        const YamlNode *config_node = nullptr;
        for (const auto &[key, value] : entries(node, where + ": ")) {
            if (key == "type") {
                auto type = text(*value, where + ".type");
                if (type && !valid_fsm_name(*type)) {
                    problem(*value, where + ".type: '" + printable(*type, 40) +
                                        "' is not a worker type name ([a-z][a-z0-9_]{0,31})");
                    type.reset();
                }
                if (type) worker.type = *type;
                complete = complete && type.has_value();
            } else if (key == "name") {
                auto name = text(*value, where + ".name");
                if (name && !valid_service_name(*name)) {
                    problem(*value, where + ".name: '" + printable(*name, 80) +
                                        "' is not a worker name ([a-z0-9][a-z0-9_-]{0,63})");
                    name.reset();
                }
                if (name) worker.name = *name;
                complete = complete && name.has_value();
            } else if (key == "desired_state") {
                auto state = one_of(*value, where + ".desired_state", {"running", "stopped"},
                                    "running, stopped");
                if (state)
                    worker.desired_state =
                        *state == "running" ? WARDEN_DESIRED_RUNNING : WARDEN_DESIRED_STOPPED;
                complete = complete && state.has_value();
            } else if (key == "config") {
                config_node = value;
            } else {
                problem(*value, where + ": unknown key '" + printable(key, 80) +
                                    "' (known: " + kWorkerKeys + ")");
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
        if (config_node != nullptr && !config_node->is_null()) {
            if (!config_node->is_map()) {
                problem(*config_node, where + ".config: must be a mapping");
                complete = false;
            } else {
                auto json = yaml_to_json(*config_node);
                if (auto *p = std::get_if<ConfigProblem>(&json)) {
                    problems.push_back(ConfigProblem{p->line, where + ".config: " + p->message});
                    complete = false;
                } else {
                    // The file is checked as UTF-8 before it is parsed, so no
                    // replacement happens; the handler only keeps dump() total.
                    worker.config_json = std::get<nlohmann::json>(json).dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace);
                }
            }
        }
        if (!complete) return std::nullopt;
        return worker;
    }

    // The top-level mapping into `config`.
    void file(const YamlNode &root, HostConfig &config) {
        std::map<std::string, int> worker_lines;  // "type/name" -> line of its first definition
        bool has_workers = false;
        for (const auto &[key, value] : entries(root, "")) {
            if (key == "scan_dir") {
                if (auto path = absolute_path(*value, "scan_dir")) config.scan_dir = *path;
            } else if (key == "plugin_dirs") {
                if (!value->is_sequence()) {
                    problem(*value, "plugin_dirs: must be a list of absolute paths");
                    continue;
                }
                for (std::size_t i = 0; i < value->items.size(); ++i)
                    if (auto path = absolute_path(*value->items[i],
                                                  "plugin_dirs[" + std::to_string(i) + "]"))
                        config.plugin_dirs.push_back(*path);
            } else if (key == "log_level") {
                if (auto level =
                        one_of(*value, "log_level", {"trace", "debug", "info", "warn", "error"},
                               "trace, debug, info, warn, error"))
                    config.log_level = *level;
            } else if (key == "log_format") {
                if (auto format = one_of(*value, "log_format", {"text", "json"}, "text, json"))
                    config.log_format = *format;
            } else if (key == "service_user") {
                // A name by the SDK's rule, the one every spec's user meets;
                // whether it exists is load_config's to ask.
                if (auto user = text(*value, "service_user")) {
                    const std::string wrong = rules::account_name_problem(*user, false);
                    if (!wrong.empty()) {
                        problem(*value, "service_user: " + wrong);
                    } else {
                        config.service_user = *user;
                        config.service_user_line = value->line;
                    }
                }
            } else if (key == "stop_services_on_exit") {
                if (auto flag = boolean(*value, "stop_services_on_exit"))
                    config.stop_services_on_exit = *flag;
            } else if (key == "supervisor") {
                supervisor(*value, config.supervisor);
            } else if (key == "metrics") {
                metrics(*value, config);
            } else if (key == "workers") {
                has_workers = true;
                // `workers:` with nothing after it is how a file cut short
                // ends as often as a wish to run nothing.
                if (value->is_null()) {
                    problem(*value, std::string("workers: empty; ") + kNoWorkersHint);
                    continue;
                }
                if (!value->is_sequence()) {
                    problem(*value, "workers: must be a list of workers");
                    continue;
                }
                for (std::size_t i = 0; i < value->items.size(); ++i) {
                    const YamlNode &item = *value->items[i];
                    auto worker = this->worker(item, i);
                    if (!worker) continue;
                    auto [first, fresh] = worker_lines.emplace(worker->label(), worker->line);
                    if (!fresh) {
                        problem(item, "worker " + worker->label() +
                                          " is defined twice (first at line " +
                                          std::to_string(first->second) + ")");
                        continue;
                    }
                    config.workers.push_back(std::move(*worker));
                }
            } else {
                problem(*value,
                        "unknown key '" + printable(key, 80) + "' (known: " + kTopKeys + ")");
            }
        }
        // A file cut short (written in two steps, half saved) must not stop
        // every service: running nothing is said out loud.
        if (!has_workers)
            problems.push_back(
                ConfigProblem{0, std::string("workers: missing; ") + kNoWorkersHint});
    }
};

// parse_config without the safety net.
ParsedConfig parse_document(std::string_view text) {
    ParsedConfig parsed;
    auto document = parse_yaml_document(text);
    if (auto *problem = std::get_if<ConfigProblem>(&document)) {
        parsed.problems.push_back(std::move(*problem));
        return parsed;
    }
    const YamlNode *root = std::get<YamlDocument>(document).root();
    if (root == nullptr) {
        parsed.problems.push_back(
            ConfigProblem{0, std::string("the file is empty; ") + kNoWorkersHint});
        return parsed;
    }
    Reader reader;
    if (root->is_null()) {  // `---` alone, or `~`: a mapping with no keys
        YamlNode no_keys;
        no_keys.kind = YamlNode::Kind::map;
        no_keys.line = root->line;
        reader.file(no_keys, parsed.config);
    } else if (!root->is_map()) {
        reader.problem(*root, std::string("the file must be a mapping of keys (") + kTopKeys + ")");
    } else {
        reader.file(*root, parsed.config);
    }
    parsed.problems = std::move(reader.problems);
    return parsed;
}

}  // namespace

ParsedConfig parse_config(std::string_view text) {
    try {
        return parse_document(text);
    } catch (const std::exception &e) {
        // Out of memory, in practice: every bound of the file holds far below it.
        ParsedConfig refused;
        refused.problems.push_back(
            ConfigProblem{0, std::string("cannot read the file: ") + printable(e.what(), 200)});
        return refused;
    }
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

// A service_user that does not exist would refuse every service without a
// user of its own: said at its line, before anything runs. Whether the host
// may switch to it is the host's to say when it runs (it depends on who
// runs it, which a check may not share).
std::optional<ConfigProblem> service_user_problem(const HostConfig &config,
                                                  const rules::AccountDirectory &accounts) {
    if (config.service_user.empty()) return std::nullopt;
    const rules::AccountEntry entry = accounts.user(config.service_user);
    const std::string user = "service_user: user '" + config.service_user + "'";
    if (entry.found == rules::AccountEntry::Found::no)
        return ConfigProblem{config.service_user_line, user + " does not exist on this machine"};
    if (entry.found == rules::AccountEntry::Found::failed)
        return ConfigProblem{
            config.service_user_line,
            "service_user: cannot look up user '" + config.service_user + "': " + entry.error};
    return std::nullopt;
}

}  // namespace

std::variant<HostConfig, std::vector<ConfigProblem>> load_config(
    std::string_view text, const PluginRegistry &plugins, const rules::AccountDirectory &accounts) {
    ParsedConfig parsed = parse_config(text);
    std::vector<ConfigProblem> problems = std::move(parsed.problems);
    for (ConfigProblem &problem : derive_all(parsed.config, plugins))
        problems.push_back(std::move(problem));
    if (std::optional<ConfigProblem> problem = service_user_problem(parsed.config, accounts))
        problems.push_back(std::move(*problem));
    if (problems.empty()) return std::move(parsed.config);
    std::stable_sort(
        problems.begin(), problems.end(),
        [](const ConfigProblem &a, const ConfigProblem &b) { return a.line < b.line; });
    return problems;
}

std::string describe(const std::filesystem::path &file, const ConfigProblem &problem) {
    return problem.line > 0
               ? file.string() + ":" + std::to_string(problem.line) + ": " + problem.message
               : file.string() + ": " + problem.message;
}

}  // namespace warden::host
