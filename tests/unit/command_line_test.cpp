// tests/unit/command_line_test.cpp — what each command line asks for, and the
// exact text and exit status of every early exit.
#include "app/command_line.hpp"

#include <gtest/gtest.h>

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
    EXPECT_EQ(help.text.rfind("Usage: warden --list-plugins [--plugin-dir DIR]...", 0), 0u)
        << help.text;
    for (const char *option :
         {"--help", "--version", "--plugin-dir", "--list-plugins", "--log-level"})
        EXPECT_NE(help.text.find(option), std::string::npos) << option;
    EXPECT_EQ(early({"-h"}).status, 0);
}

TEST(CommandLine, version_names_the_host_and_abi_versions) {
    const EarlyExit version = early({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.text, "warden " WARDEN_TEST_VERSION " (plugin ABI 1.1)\n");
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

TEST(CommandLine, nothing_to_do_is_a_usage_error) {
    const EarlyExit error = early({});
    EXPECT_EQ(error.status, 2);
    EXPECT_EQ(error.text.rfind("warden: nothing to do: give --list-plugins or --start-svscan\n", 0),
              0u)
        << error.text;
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

TEST(CommandLine, plugin_dirs_keep_their_order_and_default_to_the_installed_one) {
    auto parsed = parse({"--list-plugins", "--plugin-dir", "/a", "--plugin-dir", "b"});
    ASSERT_TRUE(std::holds_alternative<Options>(parsed));
    const Options &options = std::get<Options>(parsed);
    EXPECT_EQ(options.action, Action::list_plugins);
    EXPECT_EQ(options.plugin_dirs, (std::vector<std::filesystem::path>{"/a", "b"}));
    EXPECT_EQ(options.log_level, "info");

    auto defaults = parse({"--list-plugins", "--log-level", "debug"});
    ASSERT_TRUE(std::holds_alternative<Options>(defaults));
    EXPECT_EQ(std::get<Options>(defaults).plugin_dirs,
              (std::vector<std::filesystem::path>{WARDEN_TEST_DEFAULT_PLUGIN_DIR}));
    EXPECT_EQ(std::get<Options>(defaults).log_level, "debug");
}

TEST(CommandLine, start_svscan_takes_a_scan_dir_and_a_log_dir_with_defaults) {
    auto defaults = parse({"--start-svscan"});
    ASSERT_TRUE(std::holds_alternative<Options>(defaults));
    EXPECT_EQ(std::get<Options>(defaults).action, Action::start_svscan);
    EXPECT_EQ(std::get<Options>(defaults).scan_dir, "/run/warden/services");
    EXPECT_TRUE(std::get<Options>(defaults).default_scan_dir);
    EXPECT_EQ(std::get<Options>(defaults).log_dir, "/var/log/warden");

    auto given = parse({"--start-svscan", "--scan-dir", "/srv/scan", "--log-dir", "/srv/log"});
    ASSERT_TRUE(std::holds_alternative<Options>(given));
    EXPECT_EQ(std::get<Options>(given).scan_dir, "/srv/scan");
    EXPECT_FALSE(std::get<Options>(given).default_scan_dir);
    EXPECT_EQ(std::get<Options>(given).log_dir, "/srv/log");
}

TEST(CommandLine, one_action_at_a_time) {
    const EarlyExit both = early({"--list-plugins", "--start-svscan"});
    EXPECT_EQ(both.status, 2);
    EXPECT_EQ(
        both.text.rfind("warden: give one of --list-plugins and --start-svscan, not both\n", 0), 0u)
        << both.text;
}

}  // namespace
}  // namespace warden::host
