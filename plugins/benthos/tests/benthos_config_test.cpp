// SPDX-License-Identifier: Apache-2.0
// benthos_config_test.cpp — the config checks and the rendered file.
#include "benthos_config.hpp"
#include "benthos_render.hpp"

#include <gtest/gtest.h>

#include <string>

namespace benthos_plugin {
namespace {

constexpr const char *kBridge =
    R"({"input":{"generate":{"mapping":"root = \"hello\"","interval":"100ms"}},)"
    R"j("pipeline":{"processors":[{"mapping":"root = content().uppercase()"}]},)j"
    R"("output":{"drop":{}}})";

warden_identity identity_of(const char *name) {
    warden_identity id = WARDEN_INIT(warden_identity);
    id.type = warden_str_from_cstr("benthos");
    id.name = warden_str_from_cstr(name);
    return id;
}

BenthosConfig config_from(const std::string &json) {
    const warden_identity id = identity_of("bridge-1");
    return BenthosConfig::from_config(warden::Identity(&id), json);
}

std::string refusal(const std::string &json) {
    try {
        config_from(json);
    } catch (const warden::ConfigError &e) {
        return e.what();
    }
    return "accepted";
}

TEST(BenthosConfig, takes_the_sections_and_defaults) {
    const BenthosConfig c = config_from(kBridge);
    EXPECT_EQ(c.service, "benthos-bridge-1");
    EXPECT_EQ(c.binary, "/usr/bin/benthos");
    EXPECT_EQ(c.http_port, 0u);
    EXPECT_EQ(c.log_level, "INFO");
    EXPECT_EQ(c.not_ready_restart_ms, 60'000u);
    EXPECT_EQ(c.sections.size(), 3u);
    EXPECT_EQ(BenthosConfig::from_json(c.to_json()).to_json(), c.to_json());
}

TEST(BenthosConfig, refuses_with_a_message_naming_the_key) {
    EXPECT_EQ(refusal(R"({"output":{"drop":{}}})"),
              "input: required, the Benthos input to read from");
    EXPECT_EQ(refusal(R"({"input":{"stdin":{}}})"),
              "output: required, the Benthos output to write to");
    EXPECT_EQ(refusal(R"([1])"), "config: must be a mapping with at least `input` and `output`");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"binary":"benthos"})"),
              "binary: must be an absolute path, got 'benthos'");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"http_port":70000})"),
              "http_port: must be a port, a whole number from 1 to 65535");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"log_level":"loud"})"),
              "log_level: 'loud' is not one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE");
    EXPECT_EQ(refusal(R"({"input":[],"output":{}})"), "input: must be a mapping, as in Benthos");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"cache_resources":[{"memory":{}}]})"),
              "cache_resources[0]: must be a mapping with a `label`");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"outptu":{}})"),
              "unknown key 'outptu' (known: binary, input, pipeline, output, buffer, "
              "cache_resources, rate_limit_resources, http_port, log_level, error_window_ms, "
              "not_ready_restart_ms, user, group)");
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"log_level":"debug"})"), "accepted");
}

TEST(BenthosConfig, takes_a_user_and_group_by_name) {
    const std::string with = R"({"input":{},"output":{},"user":"nobody","group":"nogroup"})";
    const BenthosConfig c = config_from(with);
    EXPECT_EQ(c.run_as.user, "nobody");
    EXPECT_EQ(c.run_as.group, "nogroup");
    EXPECT_EQ(BenthosConfig::from_json(c.to_json()).run_as.group, "nogroup");
    EXPECT_EQ(config_from(R"({"input":{},"output":{}})").to_json().find("user"), std::string::npos)
        << "no user: the desired document it always had";
    EXPECT_EQ(refusal(R"({"input":{},"output":{},"user":"1000"})"),
              "user: '1000' is not a user name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, not "
              "beginning with '-'; a name, not a numeric id");
}

TEST(BenthosConfig, takes_not_ready_restart_ms_as_whole_milliseconds_or_0_for_never) {
    const std::string sections = R"({"input":{},"output":{},"not_ready_restart_ms":)";
    EXPECT_EQ(config_from(sections + "0}").not_ready_restart_ms, 0u);
    EXPECT_EQ(config_from(sections + "1000}").not_ready_restart_ms, 1'000u);
    EXPECT_EQ(config_from(sections + "1800000}").not_ready_restart_ms, 1'800'000u);
    const std::string range =
        "not_ready_restart_ms: must be 0 (never restart) or a whole number from 1000 to 1800000";
    EXPECT_EQ(refusal(sections + "999}"), range);
    EXPECT_EQ(refusal(sections + "1800001}"), range);
    EXPECT_EQ(refusal(sections + "-1}"), range);
    EXPECT_EQ(refusal(sections + "1500.5}"), range);
    EXPECT_EQ(refusal(sections + "\"60s\"}"), range);
    const BenthosConfig c = config_from(sections + "2000}");
    EXPECT_EQ(BenthosConfig::from_json(c.to_json()).not_ready_restart_ms, 2'000u);
}

TEST(BenthosRender, writes_the_whole_benthos_config) {
    const Rendering r = render(config_from(kBridge), 24001);
    EXPECT_EQ(r.config_yaml,
              "# Written by warden for service benthos-bridge-1 from its worker's config; edits "
              "here are overwritten.\n"
              "\"http\":\n"
              "  \"address\": \"127.0.0.1:24001\"\n"
              "  \"enabled\": true\n"
              "\"input\":\n"
              "  \"generate\":\n"
              "    \"interval\": \"100ms\"\n"
              "    \"mapping\": \"root = \\\"hello\\\"\"\n"
              "\"logger\":\n"
              "  \"add_timestamp\": false\n"
              "  \"format\": \"logfmt\"\n"
              "  \"level\": \"INFO\"\n"
              "\"metrics\":\n"
              "  \"prometheus\": {}\n"
              "\"output\":\n"
              "  \"drop\": {}\n"
              "\"pipeline\":\n"
              "  \"processors\":\n"
              "    - \"mapping\": \"root = content().uppercase()\"\n");
    EXPECT_EQ(r.run_argv,
              (std::vector<std::string>{"/usr/bin/benthos", "-c", "data/benthos.yaml"}));
    EXPECT_EQ(r.lint_argv, (std::vector<std::string>{"/usr/bin/benthos", "lint", "benthos.yaml"}));
}

TEST(BenthosRender, is_the_same_bytes_for_the_same_config) {
    const Rendering a = render(config_from(kBridge), 24001);
    const Rendering b = render(BenthosConfig::from_json(config_from(kBridge).to_json()), 24001);
    EXPECT_EQ(a.config_yaml, b.config_yaml);
    EXPECT_EQ(a.run_argv, b.run_argv);
    EXPECT_NE(render(config_from(kBridge), 24002).config_yaml, a.config_yaml);
}

TEST(BenthosRender, runs_redpanda_connect_with_its_own_command_line) {
    const Rendering r = render(
        config_from(R"({"binary":"/usr/bin/redpanda-connect","input":{},"output":{}})"), 24001);
    EXPECT_EQ(r.run_argv,
              (std::vector<std::string>{"/usr/bin/redpanda-connect", "run", "data/benthos.yaml"}));
    EXPECT_EQ(r.lint_argv,
              (std::vector<std::string>{"/usr/bin/redpanda-connect", "lint", "benthos.yaml"}));
}

}  // namespace
}  // namespace benthos_plugin
