// SPDX-License-Identifier: Apache-2.0
// benthos_config.cpp — checking a `benthos` worker's config.
//
// Every check lives here, in derive_desired_state: `warden --check-config`
// and every reload run it before anything is deployed, and a typo in one of
// the plugin's own keys should be an error naming the key, not a default.
#include "benthos_config.hpp"

#include <warden/kit/config_reader.hpp>
#include <warden/kit/json_value.hpp>

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

// The shape Benthos expects of each section; what is inside is lint's job.
void check_section(warden::kit::ConfigReader &config, std::string_view key, const json &value) {
    const bool list = key == "cache_resources" || key == "rate_limit_resources";
    if (list ? !value.is_array() : !value.is_object())
        config.fail(key, std::string("must be a ") + (list ? "list of resources" : "mapping") +
                             ", as in Benthos");
    if (list)
        for (size_t i = 0; i < value.size(); ++i)
            if (!value[i].is_object() || !value[i].contains("label"))
                config.fail(std::string(key) + "[" + std::to_string(i) + "]",
                            "must be a mapping with a `label`");
}

}  // namespace

BenthosConfig BenthosConfig::from_config(const warden::Identity &identity,
                                         std::string_view config_json) {
    using warden::kit::WholeNumber;
    auto config = warden::kit::ConfigReader::parse(config_json, "at least `input` and `output`");
    BenthosConfig c;
    c.service = identity.service_name();
    c.binary = config.absolute_path("binary").value_or(c.binary);
    for (const std::string_view key : kSections)
        if (auto section = config.raw(key)) {
            check_section(config, key, *section);
            c.sections[std::string(key)] = std::move(*section);
        }
    c.http_port = config.port("http_port").value_or(0);
    c.log_level = config.one_of("log_level", kLogLevels, warden::kit::Case::insensitive)
                      .value_or(c.log_level);
    c.error_window_ms = static_cast<uint32_t>(
        config.whole_number("error_window_ms", WholeNumber(kMinErrorWindowMs, kMaxErrorWindowMs))
            .value_or(c.error_window_ms));
    c.not_ready_restart_ms = static_cast<uint32_t>(
        config
            .whole_number("not_ready_restart_ms",
                          WholeNumber(kMinNotReadyRestartMs, kMaxNotReadyRestartWaitMs)
                              .or_also(0, "0 (never restart)"))
            .value_or(c.not_ready_restart_ms));
    c.run_as = warden::kit::RunAs::read(config);
    config.finish();
    config.require("input", "the Benthos input to read from");
    config.require("output", "the Benthos output to write to");
    return c;
}

// nlohmann's objects keep their keys sorted, so the same config always gives
// the same bytes, here and in everything rendered from it.
std::string BenthosConfig::to_json() const {
    json out = {{"service", service},
                {"binary", binary},
                {"http_port", http_port},
                {"log_level", log_level},
                {"error_window_ms", error_window_ms},
                {"not_ready_restart_ms", not_ready_restart_ms},
                {"sections", sections}};
    run_as.write(out);
    return out.dump();
}

BenthosConfig BenthosConfig::from_json(std::string_view desired_json) {
    const json in = warden::kit::parse_object(desired_json, "desired state");
    BenthosConfig c;
    c.service = in.value("service", "");
    c.binary = in.value("binary", c.binary);
    c.http_port = in.value("http_port", 0u);
    c.log_level = in.value("log_level", c.log_level);
    c.error_window_ms = in.value("error_window_ms", c.error_window_ms);
    c.not_ready_restart_ms = in.value("not_ready_restart_ms", c.not_ready_restart_ms);
    c.sections = in.value("sections", json::object());
    c.run_as = warden::kit::RunAs::from(in);
    return c;
}

}  // namespace benthos_plugin
