// benthos_config.cpp — checking a `benthos` worker's config.
//
// Every check lives here, in derive_desired_state: `warden --check-config`
// and every reload run it before anything is deployed, and a typo in one of
// the plugin's own keys should be an error naming the key, not a default.
#include "benthos_config.hpp"

#include <algorithm>
#include <array>

namespace benthos_plugin {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kSections = {
    "input", "pipeline", "output", "buffer", "cache_resources", "rate_limit_resources"};
constexpr std::array<std::string_view, 7> kLogLevels = {"OFF",  "FATAL", "ERROR", "WARN",
                                                        "INFO", "DEBUG", "TRACE"};
constexpr uint64_t kMinErrorWindowMs = 1'000;
constexpr uint64_t kMaxErrorWindowMs = 3'600'000;
// Benthos needs a moment to connect; a first wait past the backoff's cap
// would be cut to the cap anyway.
constexpr uint64_t kMinNotReadyRestartMs = 1'000;

bool is_section(std::string_view key) {
    return std::find(kSections.begin(), kSections.end(), key) != kSections.end();
}

std::string upper(std::string text) {
    for (char &c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

std::string string_at(const json &value, const std::string &where) {
    if (!value.is_string()) throw warden::ConfigError(where + ": must be a string");
    auto text = value.get<std::string>();
    if (text.find('\0') != std::string::npos)
        throw warden::ConfigError(where + ": must not contain a NUL byte");
    return text;
}

uint64_t whole_number_at(const json &value, const std::string &where, uint64_t min, uint64_t max,
                         const std::string &or_else = {}) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() < min || value.get<uint64_t>() > max)
        throw warden::ConfigError(where + ": must be " + or_else + "a whole number from " +
                                  std::to_string(min) + " to " + std::to_string(max));
    return value.get<uint64_t>();
}

uint32_t not_ready_restart_at(const json &value) {
    if (value.is_number_unsigned() && value.get<uint64_t>() == 0) return 0;  // never
    return static_cast<uint32_t>(whole_number_at(value, "not_ready_restart_ms",
                                                 kMinNotReadyRestartMs, kMaxNotReadyRestartWaitMs,
                                                 "0 (never restart) or "));
}

// The shape Benthos expects of each section; what is inside is lint's job.
void check_section(std::string_view key, const json &value) {
    const bool list = key == "cache_resources" || key == "rate_limit_resources";
    if (list ? !value.is_array() : !value.is_object())
        throw warden::ConfigError(std::string(key) + ": must be a " +
                                  (list ? "list of resources" : "mapping") + ", as in Benthos");
    if (list)
        for (size_t i = 0; i < value.size(); ++i)
            if (!value[i].is_object() || !value[i].contains("label"))
                throw warden::ConfigError(std::string(key) + "[" + std::to_string(i) +
                                          "]: must be a mapping with a `label`");
}

}  // namespace

BenthosConfig BenthosConfig::from_config(const warden::Identity &identity,
                                         std::string_view config_json) {
    const json config = json::parse(config_json, nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded()) throw warden::ConfigError("config: not valid JSON");
    if (!config.is_object())
        throw warden::ConfigError("config: must be a mapping with at least `input` and `output`");

    BenthosConfig c;
    c.service = identity.service_name();
    for (const auto &[key, value] : config.items()) {
        if (key == "binary") {
            c.binary = string_at(value, "binary");
            if (c.binary.empty() || c.binary[0] != '/')
                throw warden::ConfigError("binary: must be an absolute path, got '" + c.binary +
                                          "'");
        } else if (key == "http_port") {
            c.http_port = static_cast<uint32_t>(whole_number_at(value, "http_port", 1, 65535));
        } else if (key == "log_level") {
            c.log_level = upper(string_at(value, "log_level"));
            if (std::find(kLogLevels.begin(), kLogLevels.end(), c.log_level) == kLogLevels.end())
                throw warden::ConfigError("log_level: '" + value.get<std::string>() +
                                          "' is not one of OFF, FATAL, ERROR, WARN, INFO, "
                                          "DEBUG, TRACE");
        } else if (key == "error_window_ms") {
            c.error_window_ms = static_cast<uint32_t>(
                whole_number_at(value, "error_window_ms", kMinErrorWindowMs, kMaxErrorWindowMs));
        } else if (key == "not_ready_restart_ms") {
            c.not_ready_restart_ms = not_ready_restart_at(value);
        } else if (is_section(key)) {
            check_section(key, value);
            c.sections[key] = value;
        } else {
            throw warden::ConfigError(
                "unknown key '" + key +
                "' (known: binary, input, pipeline, output, buffer, cache_resources, "
                "rate_limit_resources, http_port, log_level, error_window_ms, "
                "not_ready_restart_ms)");
        }
    }
    if (!c.sections.contains("input"))
        throw warden::ConfigError("input: required, the Benthos input to read from");
    if (!c.sections.contains("output"))
        throw warden::ConfigError("output: required, the Benthos output to write to");
    return c;
}

// nlohmann's objects keep their keys sorted, so the same config always gives
// the same bytes, here and in everything rendered from it.
std::string BenthosConfig::to_json() const {
    const json out = {{"service", service},
                      {"binary", binary},
                      {"http_port", http_port},
                      {"log_level", log_level},
                      {"error_window_ms", error_window_ms},
                      {"not_ready_restart_ms", not_ready_restart_ms},
                      {"sections", sections}};
    return out.dump();
}

int64_t BenthosConfig::not_ready_restart_wait_ms(uint32_t restarts) const {
    int64_t wait = not_ready_restart_ms;
    for (uint32_t i = 0; i < restarts && wait < kMaxNotReadyRestartWaitMs; ++i) wait *= 2;
    return std::min<int64_t>(wait, kMaxNotReadyRestartWaitMs);
}

BenthosConfig BenthosConfig::from_json(std::string_view desired_json) {
    const json in = json::parse(desired_json, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object())
        throw warden::Error(WARDEN_ERR_INVALID_ARGUMENT, "desired state: not a JSON object");
    BenthosConfig c;
    c.service = in.value("service", "");
    c.binary = in.value("binary", c.binary);
    c.http_port = in.value("http_port", 0u);
    c.log_level = in.value("log_level", c.log_level);
    c.error_window_ms = in.value("error_window_ms", c.error_window_ms);
    c.not_ready_restart_ms = in.value("not_ready_restart_ms", c.not_ready_restart_ms);
    c.sections = in.value("sections", json::object());
    return c;
}

}  // namespace benthos_plugin
