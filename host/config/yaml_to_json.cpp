// SPDX-License-Identifier: Apache-2.0
// host/config/yaml_to_json.cpp
#include "config/yaml_to_json.hpp"

#include "config/core_schema.hpp"

#include <warden/validation.hpp>

#include <string>

namespace warden::host {
namespace {

nlohmann::json plain_scalar(const std::string &text) {
    return std::visit(
        [&](const auto &value) -> nlohmann::json {
            using Value = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<Value, std::string_view>)
                return text;
            else
                return value;
        },
        core_value(text));
}

}  // namespace

std::variant<nlohmann::json, ConfigProblem> yaml_to_json(const YamlNode &node) {
    switch (node.kind) {
        case YamlNode::Kind::null: return nlohmann::json(nullptr);
        case YamlNode::Kind::scalar:
            return node.plain ? plain_scalar(node.text) : nlohmann::json(node.text);
        case YamlNode::Kind::sequence: {
            nlohmann::json array = nlohmann::json::array();
            for (const YamlNode *item : node.items) {
                auto value = yaml_to_json(*item);
                if (auto *problem = std::get_if<ConfigProblem>(&value)) return *problem;
                array.push_back(std::move(std::get<nlohmann::json>(value)));
            }
            return array;
        }
        case YamlNode::Kind::map: {
            nlohmann::json object = nlohmann::json::object();
            for (const YamlEntry &entry : node.entries) {
                if (!entry.key->is_scalar())
                    return ConfigProblem{entry.key->line, "a mapping key must be a plain value"};
                const std::string &key = entry.key->text;
                if (object.contains(key))
                    return ConfigProblem{entry.key->line,
                                         "key '" + printable(key, 80) + "' appears twice"};
                auto value = yaml_to_json(*entry.value);
                if (auto *problem = std::get_if<ConfigProblem>(&value)) return *problem;
                object[key] = std::move(std::get<nlohmann::json>(value));
            }
            return object;
        }
    }
    return nlohmann::json(nullptr);
}

}  // namespace warden::host
