// SPDX-License-Identifier: Apache-2.0
// tests/unit/open_trusted_test.cpp — the trust rule for files and
// directories the host runs or reads as root: what it opens, and the path
// and cause it names when it refuses.
#include "trust/open_trusted.hpp"

#include "temp_dir.hpp"
#include "trust_tree.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace warden::host {
namespace {

using warden::test::TempDir;
using warden::test::write_file;

using warden::test::kOnlyRoot;
using warden::test::kOtherUser;

class OpenTrusted : public ::testing::Test {
protected:
    std::filesystem::path dir(const std::string &relative, mode_t mode = 0755) {
        return warden::test::make_dir(root_ / relative, mode);
    }

    std::filesystem::path file(const std::string &relative, const std::string &content = "x",
                               mode_t mode = 0644) {
        const auto path = root_ / relative;
        if (!std::filesystem::exists(path.parent_path()))
            dir(path.parent_path().lexically_relative(root_.path()).string());
        write_file(path, content);
        EXPECT_EQ(::chmod(path.c_str(), mode), 0) << path;
        return path;
    }

    void link(const std::string &target, const std::string &relative) {
        std::filesystem::create_symlink(target, root_ / relative);
    }

    std::string at(const std::string &relative) const { return (root_ / relative).string(); }

    // What the descriptor open_trusted gave reads, or its refusal.
    static std::string open_file(const std::filesystem::path &path) {
        Result<UniqueFd> opened = open_trusted(path, TrustedKind::regular_file);
        if (!opened) return "refused: " + opened.error().message;
        char buffer[64] = {};
        const ssize_t got = ::read(opened->fd, buffer, sizeof buffer - 1);
        return got < 0 ? "unreadable" : std::string(buffer, static_cast<std::size_t>(got));
    }

    static std::string open_dir(const std::filesystem::path &path) {
        Result<UniqueFd> opened = open_trusted(path, TrustedKind::directory);
        if (!opened) return "refused: " + opened.error().message;
        struct stat st {};
        return ::fstat(opened->fd, &st) == 0 && S_ISDIR(st.st_mode) ? "opened" : "not a directory";
    }

    static bool root() { return ::geteuid() == 0; }

    TempDir root_{"warden-trust"};
};

TEST_F(OpenTrusted, opens_a_file_and_a_directory_only_trusted_users_can_change) {
    file("etc/warden.yaml", "settings");
    EXPECT_EQ(open_file(root_ / "etc/warden.yaml"), "settings");
    EXPECT_EQ(open_dir(root_ / "etc"), "opened");
    EXPECT_EQ(open_dir("/"), "opened");
    EXPECT_EQ(open_file(root_ / "./etc//warden.yaml"), "settings");
}

TEST_F(OpenTrusted, names_what_is_missing_and_where_it_was_on_the_way_to) {
    EXPECT_EQ(open_file(root_ / "missing"), "refused: " + at("missing") + " does not exist");
    EXPECT_EQ(open_file(root_ / "nowhere/file"), "refused: " + at("nowhere") + " (on the way to " +
                                                     at("nowhere/file") + ") does not exist");
}

TEST_F(OpenTrusted, refuses_the_wrong_kind_of_object) {
    file("plain");
    dir("folder");
    EXPECT_EQ(open_file(root_ / "folder"), "refused: " + at("folder") + " is not a regular file");
    EXPECT_EQ(open_dir(root_ / "plain"), "refused: " + at("plain") + " is not a directory");
    EXPECT_EQ(open_file(root_ / "plain/inside"), "refused: " + at("plain") + " (on the way to " +
                                                     at("plain/inside") + ") is not a directory");
    EXPECT_EQ(open_file("/"), "refused: / is not a regular file");
}

TEST_F(OpenTrusted, refuses_an_object_writable_by_group_or_others) {
    file("group", "x", 0664);
    file("setuid", "x", 04757);
    EXPECT_EQ(open_file(root_ / "group"),
              "refused: " + at("group") + " has mode 0664: writable by group or others");
    EXPECT_EQ(open_file(root_ / "setuid"),
              "refused: " + at("setuid") + " has mode 4757: writable by group or others");
    dir("shared", 01777);
    EXPECT_EQ(open_dir(root_ / "shared"),
              "refused: " + at("shared") + " has mode 1777: writable by group or others");
}

TEST_F(OpenTrusted, refuses_a_directory_on_the_way_that_others_can_write_to) {
    file("open/config", "x");
    dir("open", 0777);
    EXPECT_EQ(open_file(root_ / "open/config"), "refused: " + at("open") + " (on the way to " +
                                                    at("open/config") +
                                                    ") has mode 0777: writable by group or others");
    dir("group", 0770);
    file("group/config");
    EXPECT_EQ(open_file(root_ / "group/config"),
              "refused: " + at("group") + " (on the way to " + at("group/config") +
                  ") has mode 0770: writable by group or others");
}

TEST_F(OpenTrusted, refuses_a_directory_on_the_way_another_user_owns) {
    if (!root()) GTEST_SKIP() << "needs root to give a directory to another user";
    file("theirs/config");
    ASSERT_EQ(::chown(at("theirs").c_str(), kOtherUser, kOtherUser), 0);
    EXPECT_EQ(open_file(root_ / "theirs/config"), "refused: " + at("theirs") + " (on the way to " +
                                                      at("theirs/config") +
                                                      ") is owned by uid 65534" + kOnlyRoot);
}

TEST_F(OpenTrusted, takes_only_trusted_entries_from_a_sticky_directory_others_can_write_to) {
    dir("tmp", 01777);
    file("tmp/mine", "mine");
    EXPECT_EQ(open_file(root_ / "tmp/mine"), "mine");
    if (!root()) GTEST_SKIP() << "needs root to give a file to another user";
    file("tmp/theirs", "theirs");
    ASSERT_EQ(::chown(at("tmp/theirs").c_str(), kOtherUser, kOtherUser), 0);
    EXPECT_EQ(open_file(root_ / "tmp/theirs"),
              "refused: " + at("tmp/theirs") +
                  " is owned by uid 65534 in a sticky directory others can write to" + kOnlyRoot);
}

TEST_F(OpenTrusted, follows_links_from_trusted_directories_and_judges_their_targets) {
    file("real/config", "real");
    link("real", "relative");
    link(at("real"), "absolute");
    link("real/config", "config-link");
    EXPECT_EQ(open_file(root_ / "relative/config"), "real");
    EXPECT_EQ(open_file(root_ / "absolute/config"), "real");
    EXPECT_EQ(open_file(root_ / "config-link"), "real");

    file("loose", "x", 0666);
    link("loose", "loose-link");
    EXPECT_EQ(open_file(root_ / "loose-link"), "refused: " + at("loose") + " (named by " +
                                                   at("loose-link") +
                                                   ") has mode 0666: writable by group or others");
}

TEST_F(OpenTrusted, refuses_a_link_another_user_owns_in_a_sticky_directory) {
    if (!root()) GTEST_SKIP() << "needs root to give a link to another user";
    file("real/config", "real");
    dir("tmp", 01777);
    link("../real", "tmp/link");
    EXPECT_EQ(open_file(root_ / "tmp/link/config"), "real");
    ASSERT_EQ(::lchown(at("tmp/link").c_str(), kOtherUser, kOtherUser), 0);
    EXPECT_EQ(open_file(root_ / "tmp/link/config"),
              "refused: " + at("tmp/link") + " (on the way to " + at("tmp/link/config") +
                  ") is owned by uid 65534 in a sticky directory others can write to" + kOnlyRoot);
}

TEST_F(OpenTrusted, stops_after_forty_links) {
    link("loop", "loop");
    EXPECT_EQ(open_file(root_ / "loop/config"),
              "refused: " + at("loop") + " (on the way to " + at("loop/config") +
                  ") is one symbolic link too many on the way (at most 40 are followed)");
}

// "shortcut/.." is the parent of the link's target, deep/, not the root.
TEST_F(OpenTrusted, walks_dot_dot_from_where_a_link_leads_not_from_its_text) {
    dir("deep/inner");
    file("deep/config", "from the walk");
    file("config", "from the text");
    link("deep/inner", "shortcut");
    EXPECT_EQ(open_file(root_ / "shortcut/../config"), "from the walk");
    EXPECT_EQ(open_file("/.." + at("config")), "from the text");
    EXPECT_EQ(open_dir(root_ / "shortcut/.."), "opened");
}

TEST_F(OpenTrusted, refuses_a_link_whose_target_passes_through_an_untrusted_directory) {
    dir("open", 0777);
    dir("open/inner");
    link("open/inner", "shortcut");
    EXPECT_EQ(open_file(root_ / "shortcut/config"),
              "refused: " + at("open") + " (on the way to " + at("shortcut/config") +
                  ") has mode 0777: writable by group or others");
}

// What the descriptor reads is the file that was checked, whatever is
// renamed over its path afterwards.
TEST_F(OpenTrusted, the_descriptor_keeps_the_checked_file_when_the_path_changes) {
    const auto config = file("config", "checked");
    Result<UniqueFd> opened = open_trusted(config, TrustedKind::regular_file);
    ASSERT_TRUE(opened) << opened.error().message;
    const auto other = file("other", "swapped in");
    std::filesystem::rename(other, config);
    char buffer[32] = {};
    ASSERT_EQ(::pread(opened->fd, buffer, sizeof buffer - 1, 0), 7);
    EXPECT_EQ(std::string(buffer), "checked");
}

}  // namespace
}  // namespace warden::host
