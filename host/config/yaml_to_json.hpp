// host/config/yaml_to_json.hpp — a YAML node as JSON, for a plugin.
//
// Plain scalars are typed by YAML 1.2's core schema: true/false, null or ~,
// integers (decimal, 0x, 0o), floats (.inf, .nan too); anything else, and
// every quoted scalar, is a string. Mapping keys must be scalars.
#pragma once

#include "config/config_problem.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <variant>

namespace warden::host {

/// The JSON value for `node`, or the problem (with its line) that keeps it
/// from being JSON.
std::variant<nlohmann::json, ConfigProblem> yaml_to_json(const YAML::Node &node);

}  // namespace warden::host
