// SPDX-License-Identifier: Apache-2.0
// host/s6/scan_dir_listing.cpp
#include "s6/scan_dir_listing.hpp"

#include "common/clock.hpp"
#include "s6/file_ops.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace warden::host {
namespace {

int64_t mtime_ns(const struct stat &st) {
    return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

Error listing_error(const std::filesystem::path &dir, int err) {
    return file_error("cannot list scan dir", dir, err);
}

}  // namespace

ScanDirListing::ScanDirListing(std::filesystem::path dir) : dir_(std::move(dir)) {}

Result<std::shared_ptr<const std::vector<std::string>>> ScanDirListing::names() {
    struct stat before {};
    if (::stat(dir_.c_str(), &before) != 0) return listing_error(dir_, errno);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (names_ && before.st_dev == device_ && before.st_ino == inode_ &&
            mtime_ns(before) == modified_ns_)
            return names_;
    }
    const int64_t read_at = unix_ns();
    DIR *dir = ::opendir(dir_.c_str());
    if (dir == nullptr) return listing_error(dir_, errno);
    auto names = std::make_shared<std::vector<std::string>>();
    errno = 0;
    while (const dirent *entry = ::readdir(dir)) {
        const std::string_view name = entry->d_name;
        if (name == "." || name == "..") continue;
        struct stat st {};
        const bool directory =
            entry->d_type == DT_DIR ||
            (entry->d_type == DT_UNKNOWN &&
             ::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISDIR(st.st_mode));
        if (directory) names->emplace_back(name);
    }
    const int err = errno;
    ::closedir(dir);
    if (err != 0) return listing_error(dir_, err);
    std::sort(names->begin(), names->end());

    std::lock_guard<std::mutex> lock(mutex_);
    ++reads_;
    // Kept only when the directory's time is well before the read began:
    // a change in the same clock step would not have moved it.
    const int64_t settled = std::chrono::nanoseconds(kSettled).count();
    if (read_at - mtime_ns(before) > settled) {
        names_ = names;
        device_ = before.st_dev;
        inode_ = before.st_ino;
        modified_ns_ = mtime_ns(before);
    } else {
        names_.reset();
    }
    return std::shared_ptr<const std::vector<std::string>>(std::move(names));
}

uint64_t ScanDirListing::reads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reads_;
}

std::vector<std::string_view> starting_with(const std::vector<std::string> &sorted,
                                            std::string_view prefix) {
    std::vector<std::string_view> out;
    for (auto it = std::lower_bound(sorted.begin(), sorted.end(), prefix,
                                    [](const std::string &a, std::string_view b) { return a < b; });
         it != sorted.end() && std::string_view(*it).substr(0, prefix.size()) == prefix; ++it)
        out.emplace_back(*it);
    return out;
}

}  // namespace warden::host
