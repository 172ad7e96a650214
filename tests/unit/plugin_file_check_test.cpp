// tests/unit/plugin_file_check_test.cpp — which files and directories the
// host agrees to load plugins from, and the cause it gives when it does not.
#include "plugins/plugin_file_check.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace warden::host {
namespace {

using warden::test::TempDir;
using warden::test::write_file;

std::string cause(const Result<void> &r) {
    return r.ok() ? "accepted" : r.error().message;
}

class PluginFileCheck : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0); }
    std::filesystem::path file(const std::string &name, mode_t mode) {
        const auto path = dir_ / name;
        write_file(path, "x");
        EXPECT_EQ(::chmod(path.c_str(), mode), 0);
        return path;
    }
    TempDir dir_;
};

TEST_F(PluginFileCheck, accepts_a_regular_file_writable_only_by_its_owner) {
    EXPECT_EQ(cause(check_plugin_file(file("ok.so", 0644))), "accepted");
    EXPECT_EQ(cause(check_plugin_file(file("ok2.so", 0755))), "accepted");
    EXPECT_EQ(cause(check_plugin_file(file("ro.so", 0400))), "accepted");
}

TEST_F(PluginFileCheck, refuses_files_writable_by_group_or_others) {
    EXPECT_EQ(cause(check_plugin_file(file("g.so", 0664))),
              "has mode 0664: writable by group or others");
    EXPECT_EQ(cause(check_plugin_file(file("o.so", 0646))),
              "has mode 0646: writable by group or others");
    EXPECT_EQ(cause(check_plugin_file(file("s.so", 04777))),
              "has mode 4777: writable by group or others");
}

TEST_F(PluginFileCheck, refuses_links_and_non_files) {
    const auto target = file("target.so", 0644);
    std::filesystem::create_symlink(target, dir_ / "link.so");
    EXPECT_EQ(cause(check_plugin_file(dir_ / "link.so")),
              "is a symbolic link; plugins must be regular files");
    std::filesystem::create_directory(dir_ / "dir.so");
    EXPECT_EQ(cause(check_plugin_file(dir_ / "dir.so")), "is not a regular file");
    EXPECT_EQ(cause(check_plugin_file(dir_ / "missing.so")), "does not exist");
}

TEST_F(PluginFileCheck, refuses_a_file_owned_by_another_user) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
    const auto path = file("theirs.so", 0644);
    ASSERT_EQ(::chown(path.c_str(), 1234, 1234), 0);
    EXPECT_EQ(cause(check_plugin_file(path)),
              "is owned by uid 1234; only root or the host's user (uid 0) may own it");
}

TEST_F(PluginFileCheck, judges_directories_the_same_way_and_follows_a_link_to_one) {
    EXPECT_EQ(cause(check_plugin_directory(dir_.path())), "accepted");
    std::filesystem::create_directory(dir_ / "open");
    ASSERT_EQ(::chmod((dir_ / "open").c_str(), 0775), 0);
    EXPECT_EQ(cause(check_plugin_directory(dir_ / "open")),
              "has mode 0775: writable by group or others");
    std::filesystem::create_directory(dir_ / "real");
    ASSERT_EQ(::chmod((dir_ / "real").c_str(), 0755), 0);
    std::filesystem::create_directory_symlink(dir_ / "real", dir_ / "via-link");
    EXPECT_EQ(cause(check_plugin_directory(dir_ / "via-link")), "accepted");
    EXPECT_EQ(cause(check_plugin_directory(file("plain", 0644))), "is not a directory");
    EXPECT_EQ(cause(check_plugin_directory(dir_ / "missing")), "does not exist");
}

}  // namespace
}  // namespace warden::host
