// SPDX-License-Identifier: Apache-2.0
// tests/abi/plugin_dir_trust_test.cpp — plugins load only from a directory
// nobody but root or the host's user can change, all the way from "/": each
// refusal names the directory, the path that failed and why.
#include "plugins/plugin_registry.hpp"

#include "log_capture.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "trust_tree.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::LogCapture;
using warden::test::TempDir;

using warden::test::kOnlyRoot;
using warden::test::kOtherUser;

class PluginDirTrust : public ::testing::Test {
protected:
    // A directory under the test's own root, owned by root, with `mode`.
    std::filesystem::path dir(const std::string &relative, mode_t mode = 0755) {
        return warden::test::make_dir(root_ / relative, mode);
    }

    // A plugin directory holding noop.so.
    std::filesystem::path plugins(const std::string &relative) {
        const auto path = dir(relative);
        const auto file = path / "noop.so";
        std::filesystem::copy_file(paths::abi_noop, file);
        EXPECT_EQ(::chmod(file.c_str(), 0644), 0);
        return path;
    }

    void link(const std::string &target, const std::string &relative) {
        std::filesystem::create_symlink(target, root_ / relative);
    }

    void load(const std::filesystem::path &plugin_dir) { registry_.load_directory(plugin_dir); }

    // One line for the directory, with `cause`; nothing of it loaded or mapped.
    void expect_refused(const std::filesystem::path &plugin_dir, const std::string &cause) {
        ASSERT_EQ(registry_.records().size(), 1u) << log_.text();
        const PluginRecord &record = registry_.records()[0];
        EXPECT_EQ(record.file, plugin_dir);
        ASSERT_TRUE(record.refusal.has_value());
        EXPECT_EQ(record.refusal->step, "directory check");
        EXPECT_EQ(record.refusal->cause, cause);
        EXPECT_EQ(log_.count("warning plugin directory " + plugin_dir.string() +
                             " refused: " + cause + "; its plugins skipped"),
                  1)
            << log_.text();
        EXPECT_EQ(registry_.loaded_count(), 0u);
        EXPECT_EQ(::dlopen((plugin_dir / "noop.so").c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
    }

    void expect_loaded(const std::filesystem::path &plugin_dir) {
        EXPECT_EQ(registry_.loaded_count(), 1u) << log_.text();
        EXPECT_EQ(
            log_.count("info plugin " + (plugin_dir / "noop.so").string() + " loaded: noop 1.0.0"),
            1)
            << log_.text();
    }

    std::string at(const std::string &relative) const { return (root_ / relative).string(); }

    static bool root() { return ::geteuid() == 0; }

    LogCapture log_;
    TempDir root_{"warden-trust"};
    PluginRegistry registry_;
};

TEST_F(PluginDirTrust, refuses_a_plugin_dir_whose_parent_directory_another_user_owns) {
    if (!root()) GTEST_SKIP() << "needs root to give a directory to another user";
    const auto plugin_dir = plugins("theirs/plugins");
    ASSERT_EQ(::chown(at("theirs").c_str(), kOtherUser, kOtherUser), 0);
    load(plugin_dir);
    expect_refused(plugin_dir, at("theirs") + " (on the way to " + plugin_dir.string() +
                                   ") is owned by uid 65534" + kOnlyRoot);
}

TEST_F(PluginDirTrust, refuses_a_world_writable_directory_on_the_way) {
    const auto plugin_dir = plugins("open/plugins");
    dir("open", 0777);
    load(plugin_dir);
    expect_refused(plugin_dir, at("open") + " (on the way to " + plugin_dir.string() +
                                   ") has mode 0777: writable by group or others");
}

TEST_F(PluginDirTrust, loads_from_a_root_owned_dir_in_a_sticky_world_writable_directory) {
    const auto plugin_dir = plugins("shared/plugins");
    dir("shared", 01777);
    load(plugin_dir);
    expect_loaded(plugin_dir);
}

TEST_F(PluginDirTrust, refuses_a_plugin_dir_another_user_owns_in_a_sticky_directory) {
    if (!root()) GTEST_SKIP() << "needs root to give a directory to another user";
    const auto plugin_dir = plugins("shared/plugins");
    dir("shared", 01777);
    ASSERT_EQ(::chown(plugin_dir.c_str(), kOtherUser, kOtherUser), 0);
    load(plugin_dir);
    expect_refused(plugin_dir,
                   "is owned by uid 65534 in a sticky directory others can write to" + kOnlyRoot);
}

TEST_F(PluginDirTrust, follows_a_link_in_a_trusted_directory_and_checks_where_it_leads) {
    plugins("real/plugins");
    link("real", "via-link");
    load(root_ / "via-link/plugins");
    expect_loaded(root_ / "via-link/plugins");
}

TEST_F(PluginDirTrust, refuses_a_link_that_leads_through_a_world_writable_directory) {
    plugins("open/plugins");
    dir("open", 0777);
    link(at("open"), "via-link");
    const auto plugin_dir = root_ / "via-link/plugins";
    load(plugin_dir);
    expect_refused(plugin_dir, at("open") + " (on the way to " + plugin_dir.string() +
                                   ") has mode 0777: writable by group or others");
}

TEST_F(PluginDirTrust, refuses_a_link_another_user_owns_in_a_sticky_directory) {
    if (!root()) GTEST_SKIP() << "needs root to give a link to another user";
    plugins("real/plugins");
    dir("shared", 01777);
    link("../real", "shared/link");
    ASSERT_EQ(::lchown(at("shared/link").c_str(), kOtherUser, kOtherUser), 0);
    const auto plugin_dir = root_ / "shared/link/plugins";
    load(plugin_dir);
    expect_refused(plugin_dir, at("shared/link") + " (on the way to " + plugin_dir.string() +
                                   ") is owned by uid 65534 in a sticky directory others can "
                                   "write to" +
                                   kOnlyRoot);
}

TEST_F(PluginDirTrust, follows_a_root_owned_link_in_a_sticky_directory) {
    plugins("real/plugins");
    dir("shared", 01777);
    link("../real", "shared/link");
    load(root_ / "shared/link/plugins");
    expect_loaded(root_ / "shared/link/plugins");
}

// ".." after a link leads to the parent of the link's target, as the kernel
// would resolve it, not to what the text "a/link/.." suggests.
TEST_F(PluginDirTrust, walks_dot_dot_from_where_a_link_leads) {
    dir("deep/inner");
    plugins("deep/plugins");
    link("deep/inner", "shortcut");
    const auto plugin_dir = root_ / "shortcut/../plugins";
    load(plugin_dir);
    expect_loaded(plugin_dir);
}

}  // namespace
}  // namespace warden::host
