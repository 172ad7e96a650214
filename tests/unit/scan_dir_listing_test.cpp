// SPDX-License-Identifier: Apache-2.0
// tests/unit/scan_dir_listing_test.cpp — the scan dir's listing is read
// again only when the directory changed, and never trusted when it was read
// within the timestamp's step of a change. The directory's time is set by
// hand (utimensat), so no test waits for the clock.
#include "s6/scan_dir_listing.hpp"

#include "temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace warden::host {
namespace {

using warden::test::TempDir;

// Sets the directory's modification time `seconds_ago` before now (after,
// when negative).
void age(const std::filesystem::path &dir, int seconds_ago) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const timespec times[2] = {now, {now.tv_sec - seconds_ago, now.tv_nsec}};
    ASSERT_EQ(::utimensat(AT_FDCWD, dir.c_str(), times, 0), 0);
}

std::vector<std::string> names_of(ScanDirListing &listing) {
    auto names = listing.names();
    EXPECT_TRUE(names) << names.error().message;
    return names ? *names.value() : std::vector<std::string>{};
}

TEST(ScanDirListing, is_read_again_only_when_the_directory_changed) {
    TempDir dir("warden-listing");
    std::filesystem::create_directory(dir / "exec-b");
    std::filesystem::create_directory(dir / "exec-a");
    age(dir.path(), 10);
    ScanDirListing listing(dir.path());
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-a", "exec-b"}));
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-a", "exec-b"}));
    EXPECT_EQ(listing.reads(), 1u) << "unchanged: read once";

    std::filesystem::create_directory(dir / "exec-c");
    age(dir.path(), 5);
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-a", "exec-b", "exec-c"}));
    EXPECT_EQ(listing.reads(), 2u);

    std::filesystem::remove(dir / "exec-a");
    age(dir.path(), 4);
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-b", "exec-c"}));
    EXPECT_EQ(listing.reads(), 3u);
}

TEST(ScanDirListing, read_just_after_a_change_is_not_trusted) {
    TempDir dir("warden-listing");
    std::filesystem::create_directory(dir / "exec-a");
    // A time not well before the read (ahead of it here, so that no delay
    // of a loaded machine makes it old enough).
    age(dir.path(), -60);
    ScanDirListing listing(dir.path());
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-a"}));
    // Another change in the same timestamp step would not move the time:
    // the listing is read again until the change is old enough.
    EXPECT_EQ(names_of(listing), (std::vector<std::string>{"exec-a"}));
    EXPECT_EQ(listing.reads(), 2u);
    age(dir.path(), 1);
    names_of(listing);
    names_of(listing);
    EXPECT_EQ(listing.reads(), 3u);
}

TEST(ScanDirListing, lists_directories_only) {
    TempDir dir("warden-listing");
    std::filesystem::create_directory(dir / "exec-a");
    warden::test::write_file(dir / "exec-file", "not a service");
    std::filesystem::create_directory_symlink(dir / "exec-a", dir / "exec-link");
    age(dir.path(), 10);
    ScanDirListing listing(dir.path());
    EXPECT_EQ(names_of(listing), std::vector<std::string>{"exec-a"});
}

TEST(ScanDirListing, a_missing_directory_is_an_error_naming_it) {
    TempDir dir("warden-listing");
    ScanDirListing listing(dir / "gone");
    auto names = listing.names();
    ASSERT_FALSE(names);
    EXPECT_NE(names.error().message.find("cannot list scan dir " + (dir / "gone").string()),
              std::string::npos)
        << names.error().message;
}

TEST(ScanDirListing, starting_with_finds_a_prefix_in_sorted_names) {
    const std::vector<std::string> sorted = {".exec-a.new-1-0", "exec-a", "exec-a-db", "exec-ab",
                                             "exec-b"};
    EXPECT_EQ(starting_with(sorted, "exec-a"),
              (std::vector<std::string_view>{"exec-a", "exec-a-db", "exec-ab"}));
    EXPECT_EQ(starting_with(sorted, "exec-c"), std::vector<std::string_view>{});
    EXPECT_EQ(starting_with(sorted, "").size(), sorted.size());
}

}  // namespace
}  // namespace warden::host
