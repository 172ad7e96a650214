// SPDX-License-Identifier: Apache-2.0
// tests/abi/exports_warning_test.cpp — a plugin that exports symbols besides
// warden_plugin_entry still loads, with one warning naming the file, the
// count, the symbols, the risk and the fix, in the log and in
// `warden --list-plugins`; the plugins warden_add_plugin builds and a C
// plugin built by hand with -fvisibility=hidden give none.
#include "app/list_plugins.hpp"
#include "plugins/elf_check.hpp"
#include "plugins/plugin_registry.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::kAbi;
using warden::test::LogCapture;
using warden::test::occurrences;
using warden::test::PluginDir;

constexpr const char *kExportsPlugin = WARDEN_TEST_C_EXPORTS_PLUGIN;
constexpr const char *kHiddenPlugin = WARDEN_TEST_C_HIDDEN_PLUGIN;

// What c_exports.c defines besides the entry.
const std::set<std::string> kExtraNames = {"c_exports_helper", "c_exports_counter",
                                           "c_exports_weak"};

constexpr const char *kRiskAndFix =
    "they can clash with symbols of the same name in the host or in other plugins; build it with "
    "-fvisibility=hidden, or with warden_add_plugin from the SDK's CMake package";

Result<ElfFacts> inspect(const std::filesystem::path &file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0) << file;
    Result<ElfFacts> facts = inspect_elf_file(fd);
    ::close(fd);
    return facts;
}

// The names a warning lists, in its order: "exports N symbols besides
// warden_plugin_entry (a, b, c): ...".
std::vector<std::string> listed_names(const std::string &warning) {
    const auto open = warning.find('(');
    const auto close = warning.find(')', open);
    std::vector<std::string> names;
    if (open == std::string::npos || close == std::string::npos) return names;
    std::istringstream list(warning.substr(open + 1, close - open - 1));
    for (std::string name; std::getline(list, name, ',');)
        names.push_back(name.substr(name.find_first_not_of(' ')));
    return names;
}

TEST(ExportsWarning, the_elf_check_reads_what_a_hand_built_c_plugin_exports) {
    Result<ElfFacts> facts = inspect(kExportsPlugin);
    ASSERT_TRUE(facts) << facts.error().message;
    EXPECT_EQ(facts->extra_symbol_count, 3u);
    EXPECT_EQ(std::set<std::string>(facts->extra_symbols.begin(), facts->extra_symbols.end()),
              kExtraNames);

    Result<ElfFacts> hidden = inspect(kHiddenPlugin);
    ASSERT_TRUE(hidden) << hidden.error().message;
    EXPECT_EQ(hidden->extra_symbol_count, 0u);
    EXPECT_TRUE(hidden->extra_symbols.empty());
    EXPECT_EQ(extra_symbols_warning(hidden.value()), std::nullopt);
}

TEST(ExportsWarning, a_plugin_exporting_more_than_the_entry_loads_with_one_warning) {
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(kExportsPlugin);
    PluginRegistry registry;
    registry.load_directory(dir.path());

    ASSERT_EQ(registry.loaded_count(), 1u) << log.text();
    const LoadedPlugin *plugin = registry.records().at(0).plugin;
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->info().name, "c_exports");
    ASSERT_EQ(plugin->warnings().size(), 1u);
    const std::string &warning = plugin->warnings()[0];
    EXPECT_EQ(warning.rfind("exports 3 symbols besides warden_plugin_entry (", 0), 0u) << warning;
    EXPECT_NE(warning.find(kRiskAndFix), std::string::npos) << warning;
    const auto names = listed_names(warning);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), kExtraNames) << warning;

    // One warning line, after the plugin's "loaded" line, naming the file.
    EXPECT_EQ(log.count("besides warden_plugin_entry"), 1) << log.text();
    const std::string line = "warning plugin " + file.string() + ": " + warning;
    const auto lines = log.lines();
    const auto warned = std::find(lines.begin(), lines.end(), line);
    ASSERT_NE(warned, lines.end()) << "no line \"" << line << "\" in:\n" << log.text();
    const auto loaded = std::find_if(lines.begin(), lines.end(), [&](const std::string &l) {
        return l.rfind("info plugin " + file.string() + " loaded: c_exports 1.0.0", 0) == 0;
    });
    ASSERT_NE(loaded, lines.end()) << log.text();
    EXPECT_LT(loaded, warned);
    EXPECT_EQ(log.count("plugin skipped"), 0) << log.text();
}

TEST(ExportsWarning, each_load_of_the_plugin_warns_once) {
    LogCapture log;
    PluginDir dir;
    dir.add(kExportsPlugin, "a.so");
    dir.add(kExportsPlugin, "b.so");
    PluginRegistry registry;
    registry.load_directory(dir.path());
    EXPECT_EQ(registry.loaded_count(), 2u) << log.text();
    EXPECT_EQ(log.count("a.so: exports 3 symbols besides warden_plugin_entry"), 1) << log.text();
    EXPECT_EQ(log.count("b.so: exports 3 symbols besides warden_plugin_entry"), 1) << log.text();
    EXPECT_EQ(log.count("besides warden_plugin_entry"), 2) << log.text();
}

TEST(ExportsWarning, list_plugins_shows_the_warning_on_the_plugins_line) {
    LogCapture log;
    PluginDir dir;
    const auto warned = dir.add(kExportsPlugin);
    const auto clean = dir.add(kHiddenPlugin);
    PluginRegistry registry;
    registry.load_directory(dir.path());

    std::ostringstream out;
    EXPECT_EQ(list_plugins(registry, out), 0);
    const std::string text = out.str();
    const std::string warned_line = warden::test::last_line_from(text, warned.string() + ":");
    EXPECT_EQ(warned_line.rfind(warned.string() + ": c_exports 1.0.0, ABI " + kAbi +
                                    ", worker types: none; warning: exports 3 symbols besides "
                                    "warden_plugin_entry (",
                                0),
              0u)
        << text;
    EXPECT_NE(warned_line.find(kRiskAndFix), std::string::npos) << text;
    EXPECT_EQ(warden::test::last_line_from(text, clean.string() + ":"),
              clean.string() + ": c_hidden 1.0.0, ABI " + kAbi + ", worker types: none")
        << text;
    EXPECT_EQ(occurrences(text, "warning"), 1) << text;
    EXPECT_NE(text.find("2 plugins loaded, 0 refused"), std::string::npos) << text;
}

TEST(ExportsWarning, sdk_built_plugins_and_a_hidden_c_plugin_give_no_warning) {
    LogCapture log;
    PluginDir dir;
    for (const char *plugin :
         {paths::abi_noop, paths::abi_c_worker, paths::abi_cxx_throws, paths::exec_plugin})
        dir.add(plugin);
    dir.add(kHiddenPlugin);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    EXPECT_EQ(registry.loaded_count(), 5u) << log.text();
    for (const PluginRecord &record : registry.records()) {
        ASSERT_NE(record.plugin, nullptr) << record.file;
        EXPECT_TRUE(record.plugin->warnings().empty()) << record.file;
    }
    EXPECT_EQ(log.count("besides warden_plugin_entry"), 0) << log.text();
    EXPECT_EQ(log.count("warning"), 0) << log.text();

    // The shipped plugins, read without loading them, and every tiny
    // plugin built with warden_add_plugin.
    for (const char *plugin :
         {paths::exec_plugin, paths::benthos_plugin, paths::redpanda_plugin, paths::graphql_plugin,
          paths::abi_noop, paths::abi_lifecycle, paths::abi_missing_entry, paths::abi_entry_throws,
          paths::abi_raw_cpp_throws}) {
        SCOPED_TRACE(plugin);
        Result<ElfFacts> facts = inspect(plugin);
        ASSERT_TRUE(facts) << facts.error().message;
        EXPECT_EQ(facts->extra_symbol_count, 0u);
        EXPECT_TRUE(facts->extra_symbols.empty());
    }
}

}  // namespace
}  // namespace warden::host
