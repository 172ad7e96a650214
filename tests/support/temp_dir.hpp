// SPDX-License-Identifier: Apache-2.0
// tests/support/temp_dir.hpp — a fresh directory per test, removed after it.
#pragma once

#include <filesystem>
#include <string>

namespace warden::test {

class TempDir {
public:
    /// Makes a new 0700 directory under $TMPDIR (or /tmp) named after `tag`.
    explicit TempDir(const std::string &tag = "warden-test");
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

/// Writes `content` to `file`, replacing it; throws on failure.
void write_file(const std::filesystem::path &file, const std::string &content);

/// The whole content of `file`; throws on failure.
std::string read_file(const std::filesystem::path &file);

}  // namespace warden::test
