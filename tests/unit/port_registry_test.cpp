// SPDX-License-Identifier: Apache-2.0
// tests/unit/port_registry_test.cpp — the host's port reservations: stable
// per worker and purpose, kept in a file across restarts, never shared
// between workers, and never a port something else is listening on.
#include "net/port_registry.hpp"

#include "temp_dir.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace warden::host {
namespace {

using warden::test::read_file;
using warden::test::TempDir;
using warden::test::write_file;

std::unique_ptr<PortRegistry> open_registry(const std::filesystem::path &file) {
    auto opened = PortRegistry::open(file);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(opened).value() : nullptr;
}

uint32_t reserve(PortRegistry &registry, const char *type, const char *name, const char *purpose,
                 uint32_t requested = 0) {
    auto port = registry.reserve(type, name, purpose, requested);
    EXPECT_TRUE(port) << port.error().message;
    return port ? port.value() : 0;
}

// A TCP socket listening on 127.0.0.1:port (0: one the kernel picks),
// closed with the object.
class Listener {
public:
    explicit Listener(uint32_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        listening_ =
            ::bind(fd_, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0 &&
            ::listen(fd_, 1) == 0 &&
            ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &size) == 0;
        port_ = ntohs(address.sin_port);
    }
    ~Listener() { ::close(fd_); }
    bool listening() const { return listening_; }
    uint32_t port() const { return port_; }

private:
    int fd_;
    bool listening_ = false;
    uint32_t port_ = 0;
};

ino_t inode_of(const std::filesystem::path &file) {
    struct stat st {};
    ::stat(file.c_str(), &st);
    return st.st_ino;
}

TEST(PortRegistry, gives_a_worker_the_same_port_per_purpose_again_and_after_a_reload) {
    TempDir dir;
    const auto file = dir / "ports";
    uint32_t http = 0, metrics = 0, other = 0;
    {
        auto registry = open_registry(file);
        ASSERT_TRUE(registry);
        http = reserve(*registry, "benthos", "bridge-1", "http");
        metrics = reserve(*registry, "benthos", "bridge-1", "metrics");
        other = reserve(*registry, "benthos", "bridge-2", "http");
        EXPECT_GE(http, 24000u);
        EXPECT_LE(http, 24999u);
        EXPECT_NE(http, metrics);
        EXPECT_NE(http, other);
        EXPECT_NE(metrics, other);
        EXPECT_EQ(reserve(*registry, "benthos", "bridge-1", "http"), http);
    }
    const std::string text = read_file(file);
    EXPECT_NE(text.find(std::to_string(http) + " benthos/bridge-1 http\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find(std::to_string(metrics) + " benthos/bridge-1 metrics\n"), std::string::npos)
        << text;

    auto reloaded = open_registry(file);
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reserve(*reloaded, "benthos", "bridge-1", "http"), http);
    EXPECT_EQ(reserve(*reloaded, "benthos", "bridge-1", "metrics"), metrics);
    EXPECT_EQ(reserve(*reloaded, "benthos", "bridge-2", "http"), other);
    EXPECT_EQ(reloaded->reservations().size(), 3u);
}

TEST(PortRegistry, writes_the_file_only_when_something_changed) {
    TempDir dir;
    const auto file = dir / "ports";
    auto registry = open_registry(file);
    ASSERT_TRUE(registry);
    reserve(*registry, "benthos", "a", "http");
    const ino_t written = inode_of(file);
    reserve(*registry, "benthos", "a", "http");
    EXPECT_EQ(inode_of(file), written) << "the same reservation again rewrote the file";
    reserve(*registry, "benthos", "a", "http", 4195);
    EXPECT_NE(inode_of(file), written) << "a moved reservation was not written";
    EXPECT_FALSE(std::filesystem::exists(dir / "ports.new"));
}

TEST(PortRegistry, moves_a_reservation_to_a_requested_port_and_frees_the_old_one) {
    PortRegistry registry;
    const uint32_t chosen = reserve(registry, "benthos", "a", "http");
    EXPECT_EQ(reserve(registry, "benthos", "a", "http", 4195), 4195u);
    EXPECT_EQ(reserve(registry, "benthos", "a", "http"), 4195u);
    EXPECT_EQ(reserve(registry, "benthos", "b", "http", chosen), chosen)
        << "the port benthos/a left is free again";
}

TEST(PortRegistry, refuses_a_port_another_worker_holds_naming_both_workers) {
    PortRegistry registry;
    ASSERT_EQ(reserve(registry, "benthos", "bridge-1", "http", 4195), 4195u);
    auto taken = registry.reserve("benthos", "bridge-2", "http", 4195);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().kind, ErrorKind::conflict);
    EXPECT_EQ(taken.error().message,
              "port 4195 is reserved by worker benthos/bridge-1 for http; give benthos/bridge-2 "
              "another port");
    auto same_worker = registry.reserve("benthos", "bridge-1", "metrics", 4195);
    ASSERT_FALSE(same_worker);
    EXPECT_EQ(same_worker.error().message,
              "port 4195 is reserved by worker benthos/bridge-1 for http; give benthos/bridge-1 "
              "another port for metrics");
    EXPECT_EQ(reserve(registry, "benthos", "bridge-1", "http"), 4195u) << "the holder keeps it";
}

TEST(PortRegistry, releasing_a_worker_frees_its_ports_in_the_file_too) {
    TempDir dir;
    const auto file = dir / "ports";
    auto registry = open_registry(file);
    ASSERT_TRUE(registry);
    ASSERT_EQ(reserve(*registry, "benthos", "gone", "http", 4195), 4195u);
    ASSERT_EQ(reserve(*registry, "benthos", "gone", "metrics", 4196), 4196u);
    const uint32_t kept = reserve(*registry, "benthos", "gone-2", "http");

    auto released = registry->release_worker("benthos", "gone");
    ASSERT_TRUE(released) << released.error().message;
    EXPECT_EQ(released.value(), (std::vector<uint32_t>{4195, 4196}));
    EXPECT_EQ(read_file(file).find("benthos/gone "), std::string::npos) << read_file(file);
    EXPECT_EQ(reserve(*registry, "benthos", "new", "http", 4195), 4195u);

    auto reloaded = open_registry(file);
    ASSERT_TRUE(reloaded);
    ASSERT_EQ(reloaded->reservations().size(), 2u);
    EXPECT_EQ(reserve(*reloaded, "benthos", "gone-2", "http"), kept);
    auto nothing = reloaded->release_worker("benthos", "never-there");
    ASSERT_TRUE(nothing);
    EXPECT_TRUE(nothing.value().empty());
}

TEST(PortRegistry, skips_a_port_another_socket_listens_on) {
    // The kernel's choice of a free port, held by the test, begins the range.
    const Listener busy(0);
    ASSERT_TRUE(busy.listening());
    const uint32_t held = busy.port();
    PortRegistry registry(PortRange{held, held + 50});
    const uint32_t chosen = reserve(registry, "benthos", "a", "http");
    EXPECT_NE(chosen, held) << "handed out a port another socket listens on";
    EXPECT_GT(chosen, held);
    EXPECT_LE(chosen, held + 50);
}

TEST(PortRegistry, names_a_corrupt_file_and_its_line) {
    TempDir dir;
    const auto file = dir / "ports";
    write_file(file, "# comment\n24000 benthos/a http\nnonsense here\n");
    auto opened = PortRegistry::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().message,
              "port reservations file " + file.string() +
                  ": line 3: 'nonsense here' is not '<port> <type>/<name> <purpose>'; fix or "
                  "remove the file (removed: ports are chosen again)");

    write_file(file, "24000 benthos/a http\n24000 benthos/b http\n");
    opened = PortRegistry::open(file);
    ASSERT_FALSE(opened);
    EXPECT_NE(
        opened.error().message.find(": line 2: port 24000 is reserved twice (also at line 1)"),
        std::string::npos)
        << opened.error().message;

    std::filesystem::remove(file);
    std::filesystem::create_directory(file);
    opened = PortRegistry::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().message.rfind("port reservations file " + file.string() + ": ", 0), 0u)
        << opened.error().message;
}

TEST(PortRegistry, refuses_a_bad_purpose_or_port) {
    PortRegistry registry;
    auto bad_purpose = registry.reserve("benthos", "a", "HTTP port", 0);
    ASSERT_FALSE(bad_purpose);
    EXPECT_EQ(bad_purpose.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(bad_purpose.error().message, "port purpose 'HTTP port' is not [a-z][a-z0-9_]{0,31}");
    auto bad_port = registry.reserve("benthos", "a", "http", 70000);
    ASSERT_FALSE(bad_port);
    EXPECT_EQ(bad_port.error().message, "port 70000 is not from 1 to 65535");
    EXPECT_TRUE(registry.reservations().empty());
}

}  // namespace
}  // namespace warden::host
