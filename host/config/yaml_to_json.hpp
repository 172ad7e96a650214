// SPDX-License-Identifier: Apache-2.0
// host/config/yaml_to_json.hpp — a YAML value as JSON, for a plugin.
//
// Plain scalars are typed by YAML 1.2's core schema (core_schema.hpp):
// true/false, null or ~, integers (decimal, 0x, 0o), floats (.inf, .nan
// too); anything else, and every quoted or tagged scalar, is a string.
// Mapping keys must be scalars, each given once; the JSON's keys come out
// sorted, so the same file gives the same bytes.
#pragma once

#include "config/config_problem.hpp"
#include "config/yaml_document.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace warden::host {

/// The JSON value for `node`, or the problem (with its line) that keeps it
/// from being JSON. Recurses once per level: the document's depth is bounded.
std::variant<nlohmann::json, ConfigProblem> yaml_to_json(const YamlNode &node);

}  // namespace warden::host
