// SPDX-License-Identifier: Apache-2.0
// warden/kit/yaml_writer.hpp — JSON values written as block-style YAML.
//
// Many programs read YAML (Benthos, Redpanda). A worker's config reaches the
// plugin as JSON, and a rendered file must be the same bytes for the same
// config, so a host restart adopts the running service instead of
// restarting it: keys in sorted order, every string double-quoted with
// JSON's escapes (which YAML's double-quoted style reads the same way),
// nothing left to a YAML library's style choices.
//
// THREADING: a pure function; call from any thread.
#ifndef WARDEN_KIT_YAML_WRITER_HPP
#define WARDEN_KIT_YAML_WRITER_HPP

#include <nlohmann/json.hpp>

#include <string>

namespace warden::kit {

namespace detail {

// A scalar on one line. Strings (keys too) are always quoted: a value like
// `yes`, `08` or `root = "x"` must reach the program as the string it was,
// never re-typed by YAML.
inline std::string yaml_scalar(const nlohmann::json &value) {
    return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

inline bool empty_collection(const nlohmann::json &value) {
    return (value.is_object() || value.is_array()) && value.empty();
}

inline std::string yaml_leaf(const nlohmann::json &value) {
    return empty_collection(value) ? value.dump() : yaml_scalar(value);
}

inline void write_yaml(std::string &out, const nlohmann::json &value, int indent);

// A mapping's entries, each on its own line at `indent`.
inline void write_yaml_mapping(std::string &out, const nlohmann::json &value, int indent) {
    for (const auto &[key, item] : value.items()) {
        out.append(static_cast<size_t>(indent), ' ')
            .append(yaml_scalar(nlohmann::json(key)))
            .append(":");
        if (item.is_structured() && !item.empty()) {
            out.append("\n");
            write_yaml(out, item, indent + 2);
        } else {
            out.append(" ").append(yaml_leaf(item)).append("\n");
        }
    }
}

// A list's items, each introduced by "- " at `indent`; a mapping item's
// first entry shares the dash's line, the rest line up under it.
inline void write_yaml_list(std::string &out, const nlohmann::json &value, int indent) {
    for (const nlohmann::json &item : value) {
        out.append(static_cast<size_t>(indent), ' ').append("-");
        if (item.is_structured() && !item.empty()) {
            std::string nested;
            write_yaml(nested, item, indent + 2);
            out.append(" ").append(nested.substr(static_cast<size_t>(indent) + 2));
        } else {
            out.append(" ").append(yaml_leaf(item)).append("\n");
        }
    }
}

inline void write_yaml(std::string &out, const nlohmann::json &value, int indent) {
    if (value.is_object()) {
        write_yaml_mapping(out, value, indent);
    } else if (value.is_array()) {
        write_yaml_list(out, value, indent);
    } else {
        out.append(static_cast<size_t>(indent), ' ').append(yaml_scalar(value)).append("\n");
    }
}

}  // namespace detail

/// `value` as a YAML document; mappings and lists in block style, each
/// nesting level indented by two spaces. Ends with a newline.
inline std::string to_yaml(const nlohmann::json &value) {
    if (detail::empty_collection(value)) return value.dump() + "\n";
    std::string out;
    detail::write_yaml(out, value, 0);
    return out;
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_YAML_WRITER_HPP
