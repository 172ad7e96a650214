// yaml_writer.cpp — JSON to block-style YAML, deterministically.
#include "yaml_writer.hpp"

namespace benthos_plugin {
namespace {

using nlohmann::json;

// A scalar on one line. Strings (keys too) are always quoted: a Bloblang
// mapping such as `root = "x"` or a value like `yes` or `08` must reach
// Benthos as the string it was, never re-typed by YAML.
std::string scalar(const json &value) {
    return value.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

bool empty_collection(const json &value) {
    return (value.is_object() || value.is_array()) && value.empty();
}

void write(std::string &out, const json &value, int indent);

// A mapping's entries, each on its own line at `indent`.
void write_mapping(std::string &out, const json &value, int indent) {
    for (const auto &[key, item] : value.items()) {
        out.append(static_cast<size_t>(indent), ' ').append(scalar(json(key))).append(":");
        if (item.is_structured() && !item.empty()) {
            out.append("\n");
            write(out, item, indent + 2);
        } else {
            out.append(" ")
                .append(empty_collection(item) ? item.dump() : scalar(item))
                .append("\n");
        }
    }
}

// A list's items, each introduced by "- " at `indent`; a mapping item's
// first entry shares the dash's line, the rest line up under it.
void write_list(std::string &out, const json &value, int indent) {
    for (const json &item : value) {
        out.append(static_cast<size_t>(indent), ' ').append("-");
        if (item.is_structured() && !item.empty()) {
            std::string nested;
            write(nested, item, indent + 2);
            out.append(" ").append(nested.substr(static_cast<size_t>(indent) + 2));
        } else {
            out.append(" ")
                .append(empty_collection(item) ? item.dump() : scalar(item))
                .append("\n");
        }
    }
}

void write(std::string &out, const json &value, int indent) {
    if (value.is_object()) {
        write_mapping(out, value, indent);
    } else if (value.is_array()) {
        write_list(out, value, indent);
    } else {
        out.append(static_cast<size_t>(indent), ' ').append(scalar(value)).append("\n");
    }
}

}  // namespace

std::string to_yaml(const json &value) {
    std::string out;
    if (empty_collection(value)) return value.dump() + "\n";
    write(out, value, 0);
    return out;
}

}  // namespace benthos_plugin
