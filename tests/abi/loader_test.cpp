// SPDX-License-Identifier: Apache-2.0
// tests/abi/loader_test.cpp — each tiny plugin, loaded from its .so through
// the host's registry, gives exactly the outcome and the one log line it must.
#include "plugins/plugin_registry.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::kAbi;
using warden::test::LogCapture;
using warden::test::PluginDir;

// Loads one plugin file, alone in its directory, and returns its record.
struct LoadOne {
    explicit LoadOne(const char *plugin, mode_t mode = 0644) {
        file = dir.add(plugin, {}, mode);
        registry.load_directory(dir.path());
    }
    const PluginRecord &record() const { return registry.records().at(0); }

    LogCapture log;
    PluginDir dir;
    std::filesystem::path file;
    PluginRegistry registry;
};

// The refusal a bad plugin must produce: its step and cause, in the record,
// in one log line, and nowhere a loaded plugin.
void expect_refused(const LoadOne &load, const std::string &step, const std::string &cause) {
    ASSERT_EQ(load.registry.records().size(), 1u);
    const PluginRecord &record = load.record();
    EXPECT_EQ(record.plugin, nullptr);
    ASSERT_TRUE(record.refusal.has_value());
    EXPECT_EQ(record.refusal->step, step);
    EXPECT_EQ(record.refusal->cause, cause);
    const std::string line = "warning plugin " + load.file.string() + " refused at " + step + ": " +
                             cause + "; plugin skipped";
    EXPECT_EQ(load.log.count(line), 1) << "log was:\n" << load.log.text();
    EXPECT_EQ(load.log.count("plugin skipped"), 1) << load.log.text();
    EXPECT_EQ(load.registry.loaded_count(), 0u);
}

TEST(Loader, loads_a_plugin_that_offers_no_worker_types) {
    LoadOne load(paths::abi_noop);
    ASSERT_NE(load.record().plugin, nullptr) << load.log.text();
    const PluginInfo &info = load.record().plugin->info();
    EXPECT_EQ(info.name, "noop");
    EXPECT_EQ(info.version, "1.0.0");
    EXPECT_EQ(info.abi_version, WARDEN_ABI_VERSION);
    EXPECT_TRUE(info.worker_types.empty());
    EXPECT_EQ(load.log.count("info plugin " + load.file.string() + " loaded: noop 1.0.0 (ABI " +
                             kAbi + "), worker types: none"),
              1)
        << load.log.text();
}

TEST(Loader, refuses_a_plugin_whose_entry_returns_null) {
    expect_refused(
        LoadOne(paths::abi_entry_returns_null), "entry call",
        "warden_plugin_entry returned NULL: the plugin declined this host (ABI " + kAbi + ")");
}

TEST(Loader, refuses_a_table_with_the_wrong_magic) {
    expect_refused(LoadOne(paths::abi_wrong_magic), "ABI check",
                   "magic is 0x12345678, expected 0x57444e50 (not a Warden plugin table)");
}

TEST(Loader, refuses_a_plugin_built_for_a_newer_major_version) {
    expect_refused(LoadOne(paths::abi_newer_major), "ABI check",
                   "built for ABI 2.0, this host speaks ABI " + kAbi + " (major versions differ)");
}

TEST(Loader, refuses_a_plugin_that_needs_a_newer_host_minor) {
    expect_refused(LoadOne(paths::abi_needs_newer_host), "ABI check",
                   "needs a host speaking ABI 1.99 or newer, this host speaks ABI " + kAbi);
}

TEST(Loader, refuses_a_plugin_whose_init_fails_with_its_reason) {
    expect_refused(LoadOne(paths::abi_init_fails), "init",
                   "init returned -3 (not found): cannot open /etc/frobnicator.conf: No such file "
                   "or directory");
}

TEST(Loader, refuses_a_library_without_the_entry_symbol) {
    expect_refused(LoadOne(paths::abi_missing_entry), "entry lookup",
                   "no symbol warden_plugin_entry (not a Warden plugin, or built without "
                   "WARDEN_PLUGIN)");
}

TEST(Loader, refuses_a_file_that_is_not_an_elf_file) {
    expect_refused(LoadOne(paths::not_elf_plugin), "ELF check",
                   "not an ELF file: it does not begin with the ELF magic number");
}

TEST(Loader, refuses_a_library_the_dynamic_loader_cannot_link_naming_its_own_path) {
    LoadOne load(paths::abi_unresolved_symbol);
    expect_refused(load, "load", "undefined symbol: warden_test_defined_nowhere");
    EXPECT_EQ(load.log.count("/proc/self/fd"), 0) << load.log.text();
}

TEST(Loader, refuses_a_table_with_garbage_lengths_without_reading_them) {
    expect_refused(LoadOne(paths::abi_garbage_lengths), "plugin table check",
                   "plugin name is 4611686018427387904 bytes long (at most 128)");
}

TEST(Loader, refuses_a_plugin_whose_entry_throws_instead_of_dying_with_it) {
    expect_refused(LoadOne(paths::abi_entry_throws), "entry call",
                   "a C++ exception crossed the plugin boundary: entry exploded");
}

TEST(Loader, refuses_a_world_writable_plugin_before_loading_it) {
    LoadOne load(paths::abi_noop, 0666);
    expect_refused(load, "file check", "has mode 0666: writable by group or others");
    EXPECT_EQ(::dlopen(load.file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr)
        << "a refused file must never be mapped";
}

TEST(Loader, refuses_a_group_writable_plugin) {
    expect_refused(LoadOne(paths::abi_noop, 0664), "file check",
                   "has mode 0664: writable by group or others");
}

TEST(Loader, refuses_a_symbolic_link_to_a_plugin) {
    LogCapture log;
    PluginDir elsewhere, dir;
    const auto target = elsewhere.add(paths::abi_noop);
    const auto link = dir.path() / "noop.so";
    std::filesystem::create_symlink(target, link);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.records().size(), 1u);
    ASSERT_TRUE(registry.records()[0].refusal.has_value());
    EXPECT_EQ(registry.records()[0].refusal->step, "file check");
    EXPECT_EQ(registry.records()[0].refusal->cause,
              "is a symbolic link; plugins must be regular files");
    EXPECT_EQ(log.count("plugin skipped"), 1) << log.text();
}

TEST(Loader, refuses_a_plugin_owned_by_another_user) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(paths::abi_noop);
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_TRUE(registry.records().at(0).refusal.has_value());
    EXPECT_EQ(registry.records()[0].refusal->cause,
              "is owned by uid 65534; only root or the host's user (uid 0) may own it");
}

TEST(Loader, refuses_the_second_plugin_offering_a_worker_type) {
    LogCapture log;
    PluginDir dir;
    const auto first = dir.add(paths::abi_dup_first);
    const auto second = dir.add(paths::abi_dup_second);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.records().size(), 2u);
    ASSERT_NE(registry.records()[0].plugin, nullptr) << log.text();
    ASSERT_TRUE(registry.records()[1].refusal.has_value());
    EXPECT_EQ(registry.records()[1].refusal->step, "worker type registration");
    EXPECT_EQ(registry.records()[1].refusal->cause,
              "worker type 'dup' is already offered by " + first.string());
    EXPECT_EQ(log.count("plugin " + second.string() + " refused at worker type registration"), 1)
        << log.text();
    const WorkerType *dup = registry.find_worker_type("dup");
    ASSERT_NE(dup, nullptr);
    EXPECT_EQ(dup->plugin_name(), "dup_first");
}

TEST(Loader, the_first_directory_given_wins_a_worker_type) {
    LogCapture log;
    PluginDir first_dir, second_dir;
    second_dir.add(paths::abi_dup_first);  // sorts first by name, but comes second
    first_dir.add(paths::abi_dup_second);
    PluginRegistry registry;
    registry.load_directory(first_dir.path());
    registry.load_directory(second_dir.path());
    ASSERT_NE(registry.find_worker_type("dup"), nullptr);
    EXPECT_EQ(registry.find_worker_type("dup")->plugin_name(), "dup_second");
    ASSERT_TRUE(registry.records().at(1).refusal.has_value());
}

TEST(Loader, refuses_a_world_writable_directory_with_one_line) {
    LogCapture log;
    PluginDir dir;
    dir.add(paths::abi_noop);
    dir.add(paths::abi_c_worker);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0777), 0);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.records().size(), 1u);
    EXPECT_EQ(registry.records()[0].file, dir.path());
    EXPECT_EQ(registry.records()[0].refusal->step, "directory check");
    EXPECT_EQ(registry.records()[0].refusal->cause, "has mode 0777: writable by group or others");
    EXPECT_EQ(log.count("plugin directory " + dir.path().string() +
                        " refused: has mode 0777: writable by group or others; its plugins "
                        "skipped"),
              1)
        << log.text();
    EXPECT_EQ(registry.loaded_count(), 0u);
}

TEST(Loader, refuses_a_directory_that_does_not_exist) {
    LogCapture log;
    PluginDir dir;
    PluginRegistry registry;
    registry.load_directory(dir.path() / "missing");
    ASSERT_EQ(registry.records().size(), 1u);
    EXPECT_EQ(registry.records()[0].refusal->cause, "does not exist");
}

TEST(Loader, refuses_each_bad_plugin_on_its_own_line_and_loads_the_good_ones) {
    LogCapture log;
    PluginDir dir;
    for (const char *bad :
         {paths::abi_entry_returns_null, paths::abi_wrong_magic, paths::abi_newer_major,
          paths::abi_needs_newer_host, paths::abi_init_fails, paths::abi_missing_entry,
          paths::not_elf_plugin, paths::abi_dup_second, paths::abi_garbage_lengths,
          paths::abi_entry_throws})
        dir.add(bad);
    dir.add(paths::abi_noop, "world_writable.so", 0666);
    for (const char *good : {paths::abi_noop, paths::abi_c_worker, paths::abi_dup_first,
                             paths::abi_cxx_throws, paths::exec_plugin})
        dir.add(good);
    dir.add_text("README.txt", "not a plugin: ignored, not refused\n");

    PluginRegistry registry;
    registry.load_directory(dir.path());

    EXPECT_EQ(registry.records().size(), 16u);
    EXPECT_EQ(registry.loaded_count(), 5u) << log.text();
    EXPECT_EQ(log.count("plugin skipped"), 11) << log.text();
    for (const char *type : {"echo", "dup", "thrower", "exec"})
        EXPECT_NE(registry.find_worker_type(type), nullptr) << type;
    for (const auto &record : registry.records()) EXPECT_NE(record.file.filename(), "README.txt");
}

TEST(Loader, calls_init_at_load_and_shutdown_once_when_the_registry_goes) {
    LogCapture log;
    PluginDir dir;
    dir.add(paths::abi_lifecycle);
    {
        PluginRegistry registry;
        registry.load_directory(dir.path());
        EXPECT_EQ(log.count("[plugin lifecycle] lifecycle: init"), 1) << log.text();
        EXPECT_EQ(log.count("lifecycle: shutdown"), 0);
    }
    EXPECT_EQ(log.count("[plugin lifecycle] lifecycle: shutdown"), 1) << log.text();
    const auto lines = log.lines();
    const auto init = std::find_if(lines.begin(), lines.end(),
                                   [](const std::string &l) { return l.find("init") != l.npos; });
    const auto shutdown = std::find_if(lines.begin(), lines.end(), [](const std::string &l) {
        return l.find("shutdown") != l.npos;
    });
    EXPECT_LT(init, shutdown);
}

TEST(Loader, never_unmaps_a_plugin_it_loaded) {
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(paths::abi_noop);
    {
        PluginRegistry registry;
        registry.load_directory(dir.path());
    }
    void *still_there = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(still_there, nullptr) << "the plugin was unloaded with the registry";
    if (still_there != nullptr) ::dlclose(still_there);
}

}  // namespace
}  // namespace warden::host
