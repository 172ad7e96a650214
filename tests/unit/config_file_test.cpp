// SPDX-License-Identifier: Apache-2.0
// tests/unit/config_file_test.cpp — reading the config file's bytes: only a
// regular file, at most 4 MiB of it, and never blocking on a FIFO.
#include "config/config_limits.hpp"
#include "config/host_config.hpp"

#include "common/unique_fd.hpp"
#include "temp_dir.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>

namespace warden::host {
namespace {

using namespace std::chrono_literals;
using warden::test::TempDir;

std::string error_of(const Result<std::string> &read) {
    return read ? "read " + std::to_string(read.value().size()) + " bytes" : read.error().message;
}

// read_config_file on a thread of its own, waited for at most `deadline`, so
// a read that blocks fails the test instead of hanging it; nothing when it
// did not return in time.
std::optional<Result<std::string>> read_within(const std::filesystem::path &file,
                                               std::chrono::milliseconds deadline) {
    auto task = std::make_shared<std::packaged_task<Result<std::string>()>>(
        [file] { return read_config_file(file); });
    std::future<Result<std::string>> done = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (done.wait_for(deadline) == std::future_status::ready) return done.get();
    return std::nullopt;
}

TEST(ConfigFile, reads_a_regular_file_whole) {
    TempDir dir;
    warden::test::write_file(dir / "warden.yaml", "workers: []\n");
    const auto read = read_config_file(dir / "warden.yaml");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read.value(), "workers: []\n");
}

// /proc files say they are empty and are not: the size is only a hint.
TEST(ConfigFile, reads_a_file_whose_size_says_zero) {
    const auto read = read_config_file("/proc/self/status");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read.value().rfind("Name:", 0), 0u) << read.value();
}

TEST(ConfigFile, refuses_a_file_over_4_mib_without_reading_it) {
    TempDir dir;
    const auto make_sparse = [&](const std::string &name, off_t size) {
        const UniqueFd fd(::open((dir / name).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        EXPECT_GE(fd.fd, 0);
        EXPECT_EQ(::ftruncate(fd.fd, size), 0);
        return dir / name;
    };
    const auto large = make_sparse("large.yaml", static_cast<off_t>(kMaxConfigBytes) + 1);
    EXPECT_EQ(error_of(read_config_file(large)),
              "config file " + large.string() +
                  " is larger than 4 MiB (4194304 bytes); the file is refused");
    const auto huge = make_sparse("huge.yaml", off_t{1} << 32);
    EXPECT_EQ(error_of(read_config_file(huge)),
              "config file " + huge.string() +
                  " is larger than 4 MiB (4194304 bytes); the file is refused");
    const auto full = make_sparse("full.yaml", static_cast<off_t>(kMaxConfigBytes));
    EXPECT_EQ(error_of(read_config_file(full)), "read 4194304 bytes");
}

TEST(ConfigFile, refuses_dev_zero_naming_it) {
    const auto read = read_within("/dev/zero", 10s);
    ASSERT_TRUE(read.has_value()) << "reading /dev/zero did not end within 10 s";
    EXPECT_EQ(error_of(*read),
              "config file /dev/zero is a character device; only a regular file is read");
}

TEST(ConfigFile, refuses_a_fifo_at_once_without_waiting_for_a_writer) {
    TempDir dir;
    const auto fifo = dir / "warden.yaml";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto read = read_within(fifo, 10s);
    if (!read.has_value()) {
        // A reader stuck in open() is let go by a writer that comes and goes.
        const UniqueFd writer(::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
        FAIL() << "reading a FIFO blocked for 10 s";
    }
    EXPECT_EQ(error_of(*read),
              "config file " + fifo.string() + " is a FIFO; only a regular file is read");
}

TEST(ConfigFile, refuses_a_directory_and_names_a_missing_file) {
    TempDir dir;
    EXPECT_EQ(
        error_of(read_config_file(dir.path())),
        "config file " + dir.path().string() + " is a directory; only a regular file is read");
    EXPECT_EQ(error_of(read_config_file(dir / "missing.yaml")),
              "config file " + (dir / "missing.yaml").string() + " does not exist");
}

// The host may open the file itself (after checking whom it belongs to) and
// hand over the descriptor: the same rules hold for it.
TEST(ConfigFile, reads_from_a_descriptor_only_a_regular_file) {
    TempDir dir;
    warden::test::write_file(dir / "warden.yaml", "workers: []\n");
    const UniqueFd file(::open((dir / "warden.yaml").c_str(), O_RDONLY | O_CLOEXEC));
    const auto read = read_config_from(file.fd, "warden.yaml");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read.value(), "workers: []\n");

    int ends[2];
    ASSERT_EQ(::pipe2(ends, O_CLOEXEC | O_NONBLOCK), 0);
    const UniqueFd reader(ends[0]), writer(ends[1]);
    EXPECT_EQ(error_of(read_config_from(reader.fd, "pipe.yaml")),
              "config file pipe.yaml is a FIFO; only a regular file is read");
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    const UniqueFd one(ends[0]), other(ends[1]);
    EXPECT_EQ(error_of(read_config_from(one.fd, "socket.yaml")),
              "config file socket.yaml is a socket; only a regular file is read");
    const UniqueFd directory(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    EXPECT_EQ(error_of(read_config_from(directory.fd, "dir.yaml")),
              "config file dir.yaml is a directory; only a regular file is read");
}

}  // namespace
}  // namespace warden::host
