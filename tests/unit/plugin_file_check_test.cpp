// SPDX-License-Identifier: Apache-2.0
// tests/unit/plugin_file_check_test.cpp — which files in a plugin directory
// the host agrees to load, and the cause it gives when it does not.
#include "plugins/plugin_file_check.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace warden::host {
namespace {

using warden::test::TempDir;
using warden::test::write_file;

class PluginFileCheck : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
        dir_fd_ = UniqueFd{::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
        ASSERT_GE(dir_fd_.fd, 0);
    }

    std::filesystem::path file(const std::string &name, mode_t mode) {
        const auto path = dir_ / name;
        write_file(path, "plugin " + name);
        EXPECT_EQ(::chmod(path.c_str(), mode), 0);
        return path;
    }

    // What the opened descriptor reads, or the cause of the refusal.
    std::string open(const std::string &name) {
        Result<PluginFile> opened = open_plugin_file(dir_fd_.fd, name, dir_ / name);
        if (!opened) return opened.error().message;
        EXPECT_EQ(opened->path, dir_ / name);
        char buffer[64] = {};
        const ssize_t got = ::pread(opened->fd.fd, buffer, sizeof buffer - 1, 0);
        return got < 0 ? "unreadable" : "opened: " + std::string(buffer);
    }

    TempDir dir_;
    UniqueFd dir_fd_;
};

TEST_F(PluginFileCheck, opens_a_regular_file_writable_only_by_its_owner) {
    file("ok.so", 0644);
    file("ok2.so", 0755);
    file("ro.so", 0400);
    EXPECT_EQ(open("ok.so"), "opened: plugin ok.so");
    EXPECT_EQ(open("ok2.so"), "opened: plugin ok2.so");
    EXPECT_EQ(open("ro.so"), "opened: plugin ro.so");
}

TEST_F(PluginFileCheck, refuses_files_writable_by_group_or_others) {
    file("g.so", 0664);
    file("o.so", 0646);
    file("s.so", 04777);
    EXPECT_EQ(open("g.so"), "has mode 0664: writable by group or others");
    EXPECT_EQ(open("o.so"), "has mode 0646: writable by group or others");
    EXPECT_EQ(open("s.so"), "has mode 4777: writable by group or others");
}

TEST_F(PluginFileCheck, refuses_links_and_non_files) {
    const auto target = file("target.so", 0644);
    std::filesystem::create_symlink(target, dir_ / "link.so");
    EXPECT_EQ(open("link.so"), "is a symbolic link; plugins must be regular files");
    std::filesystem::create_directory(dir_ / "dir.so");
    EXPECT_EQ(open("dir.so"), "is not a regular file");
    EXPECT_EQ(open("missing.so"), "does not exist");
}

TEST_F(PluginFileCheck, refuses_a_fifo_without_waiting_for_a_writer) {
    ASSERT_EQ(::mkfifo((dir_ / "fifo.so").c_str(), 0644), 0);
    EXPECT_EQ(open("fifo.so"), "is not a regular file");
}

TEST_F(PluginFileCheck, refuses_a_file_owned_by_another_user) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
    const auto path = file("theirs.so", 0644);
    ASSERT_EQ(::chown(path.c_str(), 1234, 1234), 0);
    EXPECT_EQ(open("theirs.so"),
              "is owned by uid 1234; only root or the host's user (uid 0) may own it");
}

}  // namespace
}  // namespace warden::host
