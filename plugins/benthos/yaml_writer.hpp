// yaml_writer.hpp — JSON values written as block-style YAML.
//
// Benthos reads YAML. The worker's config reaches the plugin as JSON, and
// the rendered file must be the same bytes for the same config (so a host
// restart adopts the running service instead of restarting it): keys in
// sorted order, every string double-quoted with JSON's escapes (which YAML's
// double-quoted style reads the same way), nothing left to a YAML library's
// style choices.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace benthos_plugin {

/// `value` as a YAML document; mappings and lists in block style, each
/// nesting level indented by two spaces. Ends with a newline.
std::string to_yaml(const nlohmann::json &value);

}  // namespace benthos_plugin
