// SPDX-License-Identifier: Apache-2.0
// host/s6/scan_dir_listing.hpp — the directories in a scan dir (services,
// and those being built or removed), read again only when the directory
// changed.
//
// Listing a scan dir of 5,000 services takes about a millisecond (more on
// tmpfs, whose readdir walks its entries from the start on every call);
// asked for by every worker's deploy, stop and remove, that made adopting
// N workers cost N listings. A listing is kept with the directory's
// identity and modification time; it is used again while they are the
// same. A change within the timestamp's granularity of the read could leave
// the time unchanged, so a listing read less than kSettled after the last
// change is never trusted: the next call reads again (as git does with its
// index).
//
// What it returns is what the directory held when read: callers check each
// entry they act on (it may have gone since).
//
// THREADING: every method is thread-safe.
#pragma once

#include "common/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

class ScanDirListing {
public:
    /// Changes less than this long before a read make it untrusted.
    static constexpr std::chrono::milliseconds kSettled{100};

    explicit ScanDirListing(std::filesystem::path dir);

    /// The name of every directory in it but "." and "..", sorted (a
    /// symlink is not one); shared, never changed.
    Result<std::shared_ptr<const std::vector<std::string>>> names();

    /// How many times the directory was read (for tests and benchmarks).
    uint64_t reads() const;

private:
    const std::filesystem::path dir_;
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<std::string>> names_;
    uint64_t device_ = 0, inode_ = 0;
    int64_t modified_ns_ = 0;  // the directory's mtime when names_ was read
    uint64_t reads_ = 0;
};

/// The names of `sorted` that start with `prefix`, in order.
std::vector<std::string_view> starting_with(const std::vector<std::string> &sorted,
                                            std::string_view prefix);

}  // namespace warden::host
