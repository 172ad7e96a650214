// host/config/yaml_to_json.cpp
#include "config/yaml_to_json.hpp"

#include <cmath>
#include <regex>
#include <string>

namespace warden::host {
namespace {

// YAML 1.2 core schema, section 10.3.2.
const std::regex kNull("^(null|Null|NULL|~)?$");
const std::regex kTrue("^(true|True|TRUE)$");
const std::regex kFalse("^(false|False|FALSE)$");
const std::regex kDecimal("^[-+]?[0-9]+$");
const std::regex kOctal("^0o[0-7]+$");
const std::regex kHex("^0x[0-9a-fA-F]+$");
const std::regex kFloat("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
const std::regex kInfinity("^[-+]?\\.(inf|Inf|INF)$");
const std::regex kNan("^\\.(nan|NaN|NAN)$");

ConfigProblem problem_at(const YAML::Node &node, std::string message) {
    return ConfigProblem{node.Mark().line + 1, std::move(message)};
}

nlohmann::json plain_scalar(const std::string &text) {
    if (std::regex_match(text, kNull)) return nullptr;
    if (std::regex_match(text, kTrue)) return true;
    if (std::regex_match(text, kFalse)) return false;
    try {
        if (std::regex_match(text, kDecimal)) {
            if (text[0] == '-') return std::stoll(text);
            return std::stoull(text[0] == '+' ? text.substr(1) : text);
        }
        if (std::regex_match(text, kOctal)) return std::stoull(text.substr(2), nullptr, 8);
        if (std::regex_match(text, kHex)) return std::stoull(text.substr(2), nullptr, 16);
        if (std::regex_match(text, kFloat)) return std::stod(text);
    } catch (const std::out_of_range &) {
        return text;  // too large for a number: keep the digits
    }
    if (std::regex_match(text, kInfinity)) return text[0] == '-' ? -INFINITY : INFINITY;
    if (std::regex_match(text, kNan)) return NAN;
    return text;
}

}  // namespace

std::variant<nlohmann::json, ConfigProblem> yaml_to_json(const YAML::Node &node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return nlohmann::json(nullptr);
        case YAML::NodeType::Scalar:
            return node.Tag() == "?" ? plain_scalar(node.Scalar()) : nlohmann::json(node.Scalar());
        case YAML::NodeType::Sequence: {
            nlohmann::json array = nlohmann::json::array();
            for (const auto &item : node) {
                auto value = yaml_to_json(item);
                if (auto *problem = std::get_if<ConfigProblem>(&value)) return *problem;
                array.push_back(std::move(std::get<nlohmann::json>(value)));
            }
            return array;
        }
        case YAML::NodeType::Map: {
            nlohmann::json object = nlohmann::json::object();
            for (const auto &entry : node) {
                if (!entry.first.IsScalar())
                    return problem_at(entry.first, "a mapping key must be a plain value");
                const std::string key = entry.first.Scalar();
                if (object.contains(key))
                    return problem_at(entry.first, "key '" + key + "' appears twice");
                auto value = yaml_to_json(entry.second);
                if (auto *problem = std::get_if<ConfigProblem>(&value)) return *problem;
                object[key] = std::move(std::get<nlohmann::json>(value));
            }
            return object;
        }
    }
    return nlohmann::json(nullptr);
}

}  // namespace warden::host
