// SPDX-License-Identifier: Apache-2.0
// tests/unit/host_config_test.cpp — reading warden.yaml: every key, the
// JSON a plugin gets, and every problem reported with its line.
#include "config/host_config.hpp"

#include "plugins/plugin_registry.hpp"

#include <warden/testing/fake_accounts.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

namespace warden::host {
namespace {

HostConfig parse_ok(const std::string &text) {
    ParsedConfig parsed = parse_config(text);
    std::string all;
    for (const auto &p : parsed.problems) all += describe("warden.yaml", p) + "\n";
    EXPECT_EQ(all, "") << "unexpected problems";
    return parsed.config;
}

// Every problem as "LINE: message".
std::vector<std::string> problems_of(const std::string &text) {
    std::vector<std::string> out;
    for (const auto &p : parse_config(text).problems)
        out.push_back(std::to_string(p.line) + ": " + p.message);
    return out;
}

TEST(HostConfig, reads_every_key_of_the_documented_file) {
    const HostConfig config = parse_ok(R"(
scan_dir: /run/warden/services     # s6-svscan started here if none runs
plugin_dirs: [/usr/lib/warden/plugins]
log_level: info
log_format: text
stop_services_on_exit: false
workers:
  - type: exec
    name: sleeper
    desired_state: running
    config:
      command: /bin/sleep
      args: [infinity]
)");
    EXPECT_EQ(config.scan_dir, "/run/warden/services");
    EXPECT_EQ(config.plugin_dirs, (std::vector<std::filesystem::path>{"/usr/lib/warden/plugins"}));
    EXPECT_EQ(config.log_level, "info");
    EXPECT_EQ(config.log_format, "text");
    EXPECT_FALSE(config.stop_services_on_exit);
    ASSERT_EQ(config.workers.size(), 1u);
    const WorkerConfig &w = config.workers[0];
    EXPECT_EQ(w.label(), "exec/sleeper");
    EXPECT_EQ(w.desired_state, WARDEN_DESIRED_RUNNING);
    EXPECT_EQ(w.line, 8);
    EXPECT_EQ(w.config_json, R"({"args":["infinity"],"command":"/bin/sleep"})");
}

TEST(HostConfig, an_empty_workers_list_runs_nothing_and_defaults_stay_unset) {
    const HostConfig config = parse_ok("workers: []\n");
    EXPECT_TRUE(config.workers.empty());
    EXPECT_TRUE(config.scan_dir.empty());
    EXPECT_TRUE(config.plugin_dirs.empty());
}

TEST(HostConfig, refuses_a_workers_key_with_nothing_after_it) {
    EXPECT_EQ(
        problems_of("scan_dir: /run/w\nworkers:\n"),
        std::vector<std::string>{"2: workers: empty; to run no workers, write `workers: []`"});
}

// A file cut short by a write in two steps must never stop every service.
TEST(HostConfig, refuses_a_file_with_nothing_in_it) {
    const std::vector<std::string> empty = {
        "0: the file is empty; to run no workers, write `workers: []`"};
    EXPECT_EQ(problems_of(""), empty);
    EXPECT_EQ(problems_of("  \n\r\n   \n"), empty);
    EXPECT_EQ(problems_of("# nothing yet\n# still nothing\n"), empty);
}

TEST(HostConfig, refuses_a_file_without_a_workers_key) {
    const std::vector<std::string> missing = {
        "0: workers: missing; to run no workers, write `workers: []`"};
    EXPECT_EQ(problems_of("log_level: info\nscan_dir: /run/warden/services\n"), missing);
    EXPECT_EQ(problems_of("---\n"), missing);
    EXPECT_EQ(problems_of("~\n"), missing);
}

TEST(HostConfig, types_plain_scalars_by_the_core_schema_and_keeps_quoted_ones_strings) {
    const HostConfig config = parse_ok(R"(
workers:
  - type: t
    name: n
    config:
      yes_is_a_string: yes
      flag: true
      quoted_flag: "true"
      count: 12
      hex: 0x1f
      ratio: 1.5
      nothing: ~
      empty:
      version: "1.10"
      list: [1, "2", three]
      nested: {a: {b: null}}
)");
    EXPECT_EQ(config.workers.at(0).config_json,
              R"({"count":12,"empty":null,"flag":true,"hex":31,"list":[1,"2","three"],)"
              R"("nested":{"a":{"b":null}},"nothing":null,"quoted_flag":"true","ratio":1.5,)"
              R"("version":"1.10","yes_is_a_string":"yes"})");
}

TEST(HostConfig, a_worker_without_desired_state_runs_and_without_config_gets_an_empty_one) {
    const HostConfig config = parse_ok(
        "workers:\n  - {type: t, name: a}\n  - {type: t, name: b, desired_state: stopped}\n");
    ASSERT_EQ(config.workers.size(), 2u);
    EXPECT_EQ(config.workers[0].desired_state, WARDEN_DESIRED_RUNNING);
    EXPECT_EQ(config.workers[0].config_json, "{}");
    EXPECT_EQ(config.workers[1].desired_state, WARDEN_DESIRED_STOPPED);
}

TEST(HostConfig, reports_broken_yaml_with_its_line) {
    EXPECT_EQ(problems_of("workers:\n  - type: [t\n    name: n\n"),
              (std::vector<std::string>{"3: not valid YAML: did not find expected ',' or ']' "
                                        "(while parsing a flow sequence that starts at line 2)"}));
    EXPECT_EQ(problems_of("workers: []\nlog_level: info\x01\n"),
              (std::vector<std::string>{
                  "2: not valid YAML: control characters are not allowed (U+0001 at column 16)"}));
}

TEST(HostConfig, reports_every_problem_at_once_each_with_its_line) {
    const auto problems = problems_of(R"(scan_dir: relative/dir
plugin_dirs: /not/a/list
log_level: loud
log_format: xml
stop_services_on_exit: yes
wokers: []
workers:
  - type: Exec
    name: a
  - type: exec
    name: Bad Name
  - type: exec
    name: ok
    desired_state: paused
  - type: exec
    name: dup
  - type: exec
    name: dup
  - name: notype
  - type: exec
    name: extra
    colour: blue
  - type: exec
    name: cfg
    config: [1, 2]
  - just a string
)");
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "1: scan_dir: must be an absolute path, got 'relative/dir'",
                  "2: plugin_dirs: must be a list of absolute paths",
                  "3: log_level: 'loud' is not one of trace, debug, info, warn, error",
                  "4: log_format: 'xml' is not one of text, json",
                  "5: stop_services_on_exit: must be true or false, got 'yes'",
                  "6: unknown key 'wokers' (known: scan_dir, plugin_dirs, log_level, "
                  "log_format, service_user, stop_services_on_exit, supervisor, metrics, workers)",
                  "8: workers[0].type: 'Exec' is not a worker type name ([a-z][a-z0-9_]{0,31})",
                  "11: workers[1].name: 'Bad Name' is not a worker name ([a-z0-9][a-z0-9_-]{0,63})",
                  "14: workers[2].desired_state: 'paused' is not one of running, stopped",
                  "17: worker exec/dup is defined twice (first at line 15)",
                  "19: workers[5]: type is required",
                  "22: workers[6]: unknown key 'colour' (known: type, name, desired_state, config)",
                  "25: workers[7].config: must be a mapping",
                  "26: workers[8]: must be a mapping with type, name and config",
              }));
}

TEST(HostConfig, refuses_a_key_given_twice_and_a_service_name_too_long) {
    EXPECT_EQ(problems_of("log_level: info\nlog_level: debug\nworkers: []\n"),
              (std::vector<std::string>{"2: key 'log_level' appears twice (first at line 1)"}));
    const std::string long_name(60, 'n');
    EXPECT_EQ(
        problems_of("workers:\n  - type: benthos\n    name: " + long_name + "\n"),
        (std::vector<std::string>{"2: workers[0]: worker benthos/" + long_name +
                                  " would own services named 'benthos-" + long_name +
                                  "', longer than the 64 characters a service name may have"}));
    EXPECT_EQ(
        problems_of("workers:\n  - type: t\n    name: n\n    config:\n      a: 1\n      a: 2\n"),
        (std::vector<std::string>{"6: workers[0].config: key 'a' appears twice"}));
}

TEST(HostConfig, describes_a_problem_with_file_and_line) {
    EXPECT_EQ(describe("/etc/warden.yaml", ConfigProblem{7, "bad"}), "/etc/warden.yaml:7: bad");
    EXPECT_EQ(describe("/etc/warden.yaml", ConfigProblem{0, "bad"}), "/etc/warden.yaml: bad");
}

TEST(HostConfig, the_supervisor_block_sets_the_clocks_and_limits) {
    const HostConfig defaults = parse_ok("workers: []\n");
    EXPECT_EQ(defaults.supervisor.tick, std::chrono::milliseconds(100));
    EXPECT_EQ(defaults.supervisor.observation_interval, std::chrono::milliseconds(1000));
    EXPECT_EQ(defaults.supervisor.stale_after, std::chrono::milliseconds(10'000));
    EXPECT_EQ(defaults.supervisor.collector_timeout, std::chrono::milliseconds(20'000));

    const HostConfig set = parse_ok(R"(
workers: []
supervisor:
  tick_ms: 50
  observation_interval_ms: 500
  idle_observation_interval_ms: 3000
  collect_timeout_ms: 2000
  stale_after_ms: 6000
  collector_timeout_ms: 8000
  collector_restarts: 5
  exit_budget_ms: 1000
)");
    EXPECT_EQ(set.supervisor.tick, std::chrono::milliseconds(50));
    EXPECT_EQ(set.supervisor.observation_interval, std::chrono::milliseconds(500));
    EXPECT_EQ(set.supervisor.idle_observation_interval, std::chrono::milliseconds(3000));
    EXPECT_EQ(set.supervisor.collect_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(set.supervisor.stale_after, std::chrono::milliseconds(6000));
    EXPECT_EQ(set.supervisor.collector_timeout, std::chrono::milliseconds(8000));
    EXPECT_EQ(set.supervisor.collector_restarts, 5);
    EXPECT_EQ(set.supervisor.exit_budget, std::chrono::milliseconds(1000));
}

TEST(HostConfig, names_each_bad_supervisor_setting) {
    EXPECT_EQ(problems_of("supervisor:\n"
                          "  tick_ms: 0\n"
                          "  stale_after_ms: soon\n"
                          "  colour: red\n"
                          "workers: []\n"),
              (std::vector<std::string>{
                  "2: supervisor.tick_ms: must be a whole number from 1 to 3600000, got '0'",
                  "3: supervisor.stale_after_ms: must be a whole number from 1 to 3600000, got "
                  "'soon'",
                  "4: supervisor: unknown key 'colour' (known: tick_ms, observation_interval_ms, "
                  "idle_observation_interval_ms, collect_timeout_ms, stale_after_ms, "
                  "collector_timeout_ms, collector_restarts, exit_budget_ms)"}));
    EXPECT_EQ(problems_of("supervisor: {stale_after_ms: 9000}\nworkers: []\n"),
              (std::vector<std::string>{"1: supervisor: idle_observation_interval_ms plus "
                                        "collect_timeout_ms must be shorter than stale_after_ms, "
                                        "or settled workers go stale"}));
    EXPECT_EQ(
        problems_of(
            "supervisor: {stale_after_ms: 30000, collector_timeout_ms: 20000}\nworkers: []\n"),
        (std::vector<std::string>{"1: supervisor: stale_after_ms must not be longer than "
                                  "collector_timeout_ms"}));
}

// The inputs that once broke the host, at start, on reload and in
// --check-config: each is now one problem with its line.

TEST(HostConfig, refuses_a_self_referencing_alias_with_its_line) {
    const std::string text =
        "workers:\n"
        "  - type: exec\n"
        "    name: loop\n"
        "    config:\n"
        "      args: &x [*x]\n";
    const std::vector<std::string> refused = {
        "5: alias *x refers to the value that holds it (&x at line 5); a value cannot contain "
        "itself"};
    EXPECT_EQ(problems_of(text), refused);
    PluginRegistry no_plugins;
    auto loaded = load_config(text, no_plugins);
    ASSERT_TRUE(std::holds_alternative<std::vector<ConfigProblem>>(loaded));
    EXPECT_EQ(describe("warden.yaml", std::get<std::vector<ConfigProblem>>(loaded).at(0)),
              "warden.yaml:" + refused[0]);
}

TEST(HostConfig, refuses_a_latin1_file_naming_the_line_and_column_of_the_first_bad_byte) {
    const std::string text =
        "workers:\n"
        "  - type: exec\n"
        "    name: cafe\n"
        "    config: {greeting: caf\xe9, from: M\xfcnchen}\n";
    EXPECT_EQ(problems_of(text),
              (std::vector<std::string>{
                  "4: byte 0xE9 at column 27 is not UTF-8; save the file as UTF-8"}));
    // The same words, saved as UTF-8, are fine.
    const HostConfig config =
        parse_ok("workers:\n  - type: exec\n    name: cafe\n    config: {greeting: caf\xc3\xa9}\n");
    EXPECT_EQ(config.workers.at(0).config_json, "{\"greeting\":\"caf\xc3\xa9\"}");
}

TEST(HostConfig, keeps_a_number_too_large_to_hold_as_its_digits) {
    const std::string digits(30'000, '7');
    const HostConfig config = parse_ok(
        "workers:\n  - type: t\n    name: n\n    config:\n"
        "      big: " +
        digits +
        "\n"
        "      negative: -" +
        digits +
        "\n"
        "      hex: 0x" +
        std::string(40, 'f') +
        "\n"
        "      huge: 1e999\n"
        "      max: 18446744073709551615\n"
        "      min: -9223372036854775808\n");
    EXPECT_EQ(config.workers.at(0).config_json,
              "{\"big\":\"" + digits + "\",\"hex\":\"0x" + std::string(40, 'f') +
                  "\",\"huge\":\"1e999\",\"max\":18446744073709551615,"
                  "\"min\":-9223372036854775808,\"negative\":\"-" +
                  digits + "\"}");
}

TEST(HostConfig, refuses_a_billion_laughs_bomb_at_once_naming_the_alias_bound) {
    std::string text =
        "workers:\n  - type: exec\n    name: lol\n    config:\n"
        "      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    const std::string keys = "abcdefghi";
    for (std::size_t i = 1; i < keys.size(); ++i) {
        const std::string alias = std::string(", *") + keys[i - 1];
        text += std::string("      ") + keys[i] + ": &" + keys[i] + " [" + alias.substr(2);
        for (int n = 1; n < 9; ++n) text += alias;
        text += "]\n";
    }
    const auto started = std::chrono::steady_clock::now();
    const auto problems = problems_of(text);
    const auto took = std::chrono::steady_clock::now() - started;
    // a holds 10 values, b 9 aliases of a, c 9 of b, d 9 of c: 8,289 values
    // repeated; the first *d in e would pass 10,000.
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "9: aliases repeat more than 10000 values in all; the file is refused"}));
    EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(HostConfig, an_alias_repeats_the_value_of_its_anchor) {
    const HostConfig config = parse_ok(R"(
workers:
  - type: t
    name: a
    config: &shared {args: [x, 1], quoted: "2"}
  - type: t
    name: b
    config: *shared
)");
    ASSERT_EQ(config.workers.size(), 2u);
    EXPECT_EQ(config.workers[0].config_json, R"({"args":["x",1],"quoted":"2"})");
    EXPECT_EQ(config.workers[1].config_json, config.workers[0].config_json);
}

// A key is the user's text: a newline in it would forge a log line, an ESC
// would reach the terminal of whoever reads --check-config.
TEST(HostConfig, escapes_newlines_and_escape_bytes_in_the_keys_it_names) {
    EXPECT_EQ(
        problems_of("workers: []\n"
                    "\"x\\nwarden.yaml:1: all good\": 1\n"
                    "\"\\e[31mred\": 2\n"
                    "supervisor: {\"tick\\n\": 1}\n"),
        (std::vector<std::string>{
            "2: unknown key 'x\\x0awarden.yaml:1: all good' (known: scan_dir, plugin_dirs, "
            "log_level, log_format, service_user, stop_services_on_exit, supervisor, metrics, "
            "workers)",
            "3: unknown key '\\x1b[31mred' (known: scan_dir, plugin_dirs, log_level, "
            "log_format, service_user, stop_services_on_exit, supervisor, metrics, workers)",
            "4: supervisor: unknown key 'tick\\x0a' (known: tick_ms, observation_interval_ms, "
            "idle_observation_interval_ms, collect_timeout_ms, stale_after_ms, "
            "collector_timeout_ms, collector_restarts, exit_budget_ms)"}));
    EXPECT_EQ(problems_of("workers:\n"
                          "  - type: t\n"
                          "    name: n\n"
                          "    \"\\e]0;owned\\a\": 1\n"
                          "    config: {\"k\\n\": 1, \"k\\n\": 2}\n"
                          "\"\\r\": 1\n"
                          "\"\\r\": 2\n"),
              (std::vector<std::string>{
                  "7: key '\\x0d' appears twice (first at line 6)",
                  "4: workers[0]: unknown key '\\x1b]0;owned\\x07' (known: type, name, "
                  "desired_state, config)",
                  "5: workers[0].config: key 'k\\x0a' appears twice",
                  "6: unknown key '\\x0d' (known: scan_dir, plugin_dirs, log_level, log_format, "
                  "service_user, stop_services_on_exit, supervisor, metrics, workers)"}));
}

// service_user: a name by the rule every spec's user meets, at its line;
// whether it exists is asked when the whole file is loaded.
TEST(HostConfig, reads_service_user_and_refuses_what_is_no_user_name) {
    const HostConfig config = parse_ok("workers: []\nservice_user: _warden\n");
    EXPECT_EQ(config.service_user, "_warden");
    EXPECT_EQ(config.service_user_line, 2);
    EXPECT_EQ(parse_ok("workers: []\n").service_user, "");
    for (const char *id : {"65534", "-x"})
        EXPECT_EQ(problems_of(std::string("workers: []\nservice_user: ") + id + "\n"),
                  (std::vector<std::string>{"2: service_user: '" + std::string(id) +
                                            "' is not a user name: 1 to 32 of the characters "
                                            "A-Z a-z 0-9 . _ -, not beginning with '-'; a name, "
                                            "not a numeric id"}));
    EXPECT_EQ(problems_of("workers: []\nservice_user: [a]\n"),
              (std::vector<std::string>{
                  "2: service_user: must be a single value, not a list or mapping"}));
    EXPECT_EQ(problems_of("workers: []\nservice_user: \"a b\\n\"\n"),
              (std::vector<std::string>{
                  "2: service_user: 'a b\\x0a' is not a user name: 1 to 32 of the characters "
                  "A-Z a-z 0-9 . _ -, not beginning with '-'; a name, not a numeric id"}));
}

TEST(HostConfig, a_service_user_this_machine_does_not_have_refuses_the_file_at_its_line) {
    const PluginRegistry no_plugins;
    warden::testing::FakeAccounts accounts;
    accounts.add_user("_warden", 120, 120);
    const auto loaded = load_config("workers: []\nservice_user: _warden\n", no_plugins, accounts);
    ASSERT_TRUE(std::holds_alternative<HostConfig>(loaded));
    EXPECT_EQ(std::get<HostConfig>(loaded).service_user, "_warden");

    const auto refused = load_config("log_level: info\nservice_user: _nobody_here\nworkers: []\n",
                                     no_plugins, accounts);
    ASSERT_TRUE(std::holds_alternative<std::vector<ConfigProblem>>(refused));
    const auto &problems = std::get<std::vector<ConfigProblem>>(refused);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(describe("warden.yaml", problems[0]),
              "warden.yaml:2: service_user: user '_nobody_here' does not exist on this machine");

    accounts.fail_lookups_of("_warden");
    const auto failed = load_config("workers: []\nservice_user: _warden\n", no_plugins, accounts);
    ASSERT_TRUE(std::holds_alternative<std::vector<ConfigProblem>>(failed));
    EXPECT_EQ(describe("warden.yaml", std::get<std::vector<ConfigProblem>>(failed).at(0)),
              "warden.yaml:2: service_user: cannot look up user '_warden': Input/output error");
}

TEST(HostConfig, a_quoted_number_with_a_nul_inside_is_no_number) {
    EXPECT_EQ(problems_of("workers: []\nsupervisor: {tick_ms: \"50\\0junk\"}\n"),
              (std::vector<std::string>{"2: supervisor.tick_ms: must be a whole number from 1 to "
                                        "3600000, got '50\\x00junk'"}));
}

}  // namespace
}  // namespace warden::host
