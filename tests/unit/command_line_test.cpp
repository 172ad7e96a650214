// SPDX-License-Identifier: Apache-2.0
// tests/unit/command_line_test.cpp — what each command line asks for, and the
// exact text and exit status of every early exit.
#include "app/command_line.hpp"
#include "app/settings.hpp"

#include "temp_dir.hpp"
#include "text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warden::host {
namespace {

std::variant<Options, EarlyExit> parse(std::vector<const char *> args) {
    args.insert(args.begin(), "warden");
    return parse_command_line(static_cast<int>(args.size()), args.data());
}

EarlyExit early(std::vector<const char *> args) {
    auto parsed = parse(std::move(args));
    EXPECT_TRUE(std::holds_alternative<EarlyExit>(parsed));
    return std::holds_alternative<EarlyExit>(parsed) ? std::get<EarlyExit>(parsed) : EarlyExit{};
}

TEST(CommandLine, help_prints_usage_and_every_option_and_exits_zero) {
    const EarlyExit help = early({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_EQ(help.text.rfind("Usage: warden [--config FILE] [--remove-orphans]", 0), 0u)
        << help.text;
    EXPECT_NE(help.text.find("(default: " WARDEN_TEST_DEFAULT_CONFIG_FILE ")"), std::string::npos)
        << help.text;
    for (const char *option :
         {"--help", "--version", "--plugin-dir", "--list-plugins", "--log-level", "--check-config",
          "--status", "--remove-orphans", "--stop-services-on-exit", "--external-svscan",
          "--run-svscan", "--start-svscan", "--json"})
        EXPECT_NE(help.text.find(option), std::string::npos) << option;
    EXPECT_EQ(early({"-h"}).status, 0);
}

TEST(CommandLine, version_names_the_host_and_abi_versions) {
    const EarlyExit version = early({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.text, std::string("warden " WARDEN_TEST_VERSION " (plugin ABI ") +
                                warden::test::kAbi + ")\n");
}

TEST(CommandLine, an_unknown_option_is_a_usage_error) {
    const EarlyExit error = early({"--list-plugins", "--frobnicate"});
    EXPECT_EQ(error.status, 2);
    EXPECT_EQ(error.text,
              "warden: unrecognised option '--frobnicate'\n"
              "Try 'warden --help' for more information.\n");
}

TEST(CommandLine, a_missing_argument_is_a_usage_error) {
    const EarlyExit error = early({"--list-plugins", "--plugin-dir"});
    EXPECT_EQ(error.status, 2);
    EXPECT_NE(error.text.find("the required argument for option '--plugin-dir' is missing"),
              std::string::npos)
        << error.text;
}

TEST(CommandLine, no_action_runs_the_host_with_the_default_config_file) {
    auto parsed = parse({});
    ASSERT_TRUE(std::holds_alternative<Options>(parsed));
    EXPECT_EQ(std::get<Options>(parsed).action, Action::run);
    EXPECT_FALSE(std::get<Options>(parsed).config_file.has_value())
        << "main fills in the default file, which it must find";
    EXPECT_EQ(default_config_file(), std::filesystem::path(WARDEN_TEST_DEFAULT_CONFIG_FILE));
}

TEST(CommandLine, options_for_running_the_host_go_with_nothing_else) {
    for (const char *option :
         {"--remove-orphans", "--stop-services-on-exit", "--external-svscan"}) {
        const EarlyExit error = early({"--status", option});
        EXPECT_EQ(error.status, 2);
        EXPECT_EQ(error.text.rfind(
                      std::string("warden: ") + option + " goes only with running the host\n", 0),
                  0u)
            << error.text;
    }
    auto run = parse({"--config", "/etc/w.yaml", "--external-svscan"});
    ASSERT_TRUE(std::holds_alternative<Options>(run));
    EXPECT_TRUE(std::get<Options>(run).external_svscan);
    EXPECT_EQ(std::get<Options>(run).action, Action::run);
}

TEST(CommandLine, an_invalid_log_level_is_a_usage_error) {
    const EarlyExit error = early({"--list-plugins", "--log-level", "loud"});
    EXPECT_EQ(error.status, 2);
    EXPECT_EQ(error.text.rfind("warden: invalid --log-level 'loud' (expected trace, debug, info, "
                               "warn or error)\n",
                               0),
              0u)
        << error.text;
}

TEST(CommandLine, keeps_values_as_given_and_leaves_the_rest_unset) {
    auto parsed = parse({"--list-plugins", "--plugin-dir", "/a", "--plugin-dir", "b"});
    ASSERT_TRUE(std::holds_alternative<Options>(parsed));
    const Options &options = std::get<Options>(parsed);
    EXPECT_EQ(options.action, Action::list_plugins);
    EXPECT_EQ(options.plugin_dirs, (std::vector<std::filesystem::path>{"/a", "b"}));
    EXPECT_FALSE(options.log_level.has_value());
    EXPECT_FALSE(options.scan_dir.has_value());
    EXPECT_FALSE(options.config_file.has_value());

    auto given = parse({"--start-svscan", "--scan-dir", "/srv/scan", "--log-dir", "/srv/log",
                        "--log-level", "debug", "--log-format", "json"});
    ASSERT_TRUE(std::holds_alternative<Options>(given));
    EXPECT_EQ(std::get<Options>(given).action, Action::start_svscan);
    EXPECT_EQ(std::get<Options>(given).scan_dir, std::filesystem::path("/srv/scan"));
    EXPECT_EQ(std::get<Options>(given).log_dir, std::filesystem::path("/srv/log"));
    EXPECT_EQ(std::get<Options>(given).log_level, std::string("debug"));
    EXPECT_EQ(std::get<Options>(given).log_format, std::string("json"));
}

TEST(CommandLine, check_config_and_run_svscan_take_the_config_file_or_the_default) {
    auto parsed = parse({"--config", "/etc/warden.yaml", "--check-config"});
    ASSERT_TRUE(std::holds_alternative<Options>(parsed));
    EXPECT_EQ(std::get<Options>(parsed).action, Action::check_config);
    EXPECT_EQ(std::get<Options>(parsed).config_file, std::filesystem::path("/etc/warden.yaml"));
    auto alone = parse({"--check-config"});
    ASSERT_TRUE(std::holds_alternative<Options>(alone));
    EXPECT_EQ(std::get<Options>(alone).action, Action::check_config);
    EXPECT_FALSE(std::get<Options>(alone).config_file.has_value());
    auto svscan = parse({"--run-svscan", "--scan-dir", "/srv/scan"});
    ASSERT_TRUE(std::holds_alternative<Options>(svscan));
    EXPECT_EQ(std::get<Options>(svscan).action, Action::run_svscan);
}

TEST(CommandLine, one_action_at_a_time) {
    const EarlyExit both = early({"--list-plugins", "--start-svscan"});
    EXPECT_EQ(both.status, 2);
    EXPECT_EQ(both.text.rfind("warden: give one of --list-plugins, --start-svscan, "
                              "--run-svscan, --check-config and --status\n",
                              0),
              0u)
        << both.text;
}

TEST(CommandLine, json_goes_only_with_status) {
    auto parsed = parse({"--status", "--json"});
    ASSERT_TRUE(std::holds_alternative<Options>(parsed));
    EXPECT_EQ(std::get<Options>(parsed).action, Action::status);
    EXPECT_TRUE(std::get<Options>(parsed).json);
    auto table = parse({"--status"});
    ASSERT_TRUE(std::holds_alternative<Options>(table));
    EXPECT_FALSE(std::get<Options>(table).json);

    for (const std::vector<const char *> &args : {std::vector<const char *>{"--json"},
                                                  {"--config", "/etc/w.yaml", "--json"},
                                                  {"--check-config", "--json"},
                                                  {"--list-plugins", "--json"},
                                                  {"--start-svscan", "--json"},
                                                  {"--run-svscan", "--json"}}) {
        const EarlyExit error = early(args);
        EXPECT_EQ(error.status, 2);
        EXPECT_EQ(error.text,
                  "warden: --json goes only with --status\n"
                  "Try 'warden --help' for more information.\n")
            << args.size();
    }
}

TEST(CommandLine, refuses_an_unknown_log_format) {
    const EarlyExit error = early({"--list-plugins", "--log-format", "xml"});
    EXPECT_EQ(error.status, 2);
    EXPECT_EQ(error.text.rfind("warden: invalid --log-format 'xml' (expected text or json)\n", 0),
              0u)
        << error.text;
}

TEST(Settings, the_command_line_wins_over_the_file_which_wins_over_the_defaults) {
    HostConfig file;
    file.scan_dir = "/file/scan";
    file.plugin_dirs = {"/file/plugins"};
    file.log_level = "warn";
    Options cli;
    cli.log_level = "debug";
    Settings s = resolve_settings(cli, &file);
    EXPECT_EQ(s.scan_dir, "/file/scan");
    EXPECT_TRUE(s.create_scan_dir) << "the file's scan dir is made when missing";
    EXPECT_EQ(s.plugin_dirs, (std::vector<std::filesystem::path>{"/file/plugins"}));
    EXPECT_EQ(s.log_level, "debug");
    EXPECT_EQ(s.log_format, "text");

    cli.plugin_dirs = {"/cli/plugins"};
    cli.scan_dir = "/cli/scan";
    s = resolve_settings(cli, &file);
    EXPECT_EQ(s.scan_dir, "/cli/scan");
    EXPECT_FALSE(s.create_scan_dir) << "a typo on the command line is an error, not a new dir";
    EXPECT_EQ(s.plugin_dirs, (std::vector<std::filesystem::path>{"/cli/plugins"}));
    EXPECT_FALSE(s.default_plugin_dirs);

    s = resolve_settings(Options{}, nullptr);
    EXPECT_EQ(s.scan_dir, "/run/warden/services");
    EXPECT_TRUE(s.create_scan_dir);
    std::string dirs;
    for (const auto &dir : s.plugin_dirs) dirs += (dirs.empty() ? "" : ":") + dir.string();
    EXPECT_EQ(dirs, WARDEN_TEST_DEFAULT_PLUGIN_DIRS);
    EXPECT_TRUE(s.default_plugin_dirs);
    EXPECT_EQ(s.log_dir, "/var/log/warden");
    EXPECT_EQ(s.log_level, "info");
}

TEST(Settings, skip_only_built_in_plugin_dirs_that_are_not_there) {
    const test::TempDir temp;
    Settings s;
    s.plugin_dirs = {temp.path() / "missing", temp.path()};
    EXPECT_EQ(plugin_dirs_to_load(s), s.plugin_dirs) << "a dir given is loaded, or refused aloud";
    s.default_plugin_dirs = true;
    EXPECT_EQ(plugin_dirs_to_load(s), (std::vector<std::filesystem::path>{temp.path()}));
}

}  // namespace
}  // namespace warden::host
