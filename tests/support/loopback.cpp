// SPDX-License-Identifier: Apache-2.0
// tests/support/loopback.cpp — ports and listeners on 127.0.0.1.
#include "loopback.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>

namespace warden::test {
namespace {

namespace fs = std::filesystem;

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// Whether 127.0.0.1:`port` can be bound now.
bool bindable(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const int on = 1;
    const sockaddr_in address = loopback(port);
    const bool bound =
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
        ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return bound;
}

// The first port the kernel hands out for outgoing connections.
unsigned ephemeral_first() {
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    unsigned first = 32768;
    range >> first;
    return first > 25000 ? first : 32768;
}

}  // namespace

// Test ports come from 25000-32767: above the host's default reservation
// range (24000-24999), below the kernel's ephemeral ports (32768 up, read
// from /proc), so neither a host reserving ports nor an outgoing connection
// of any process takes one between the test's choice and its use. A port is
// claimed by an flock(2) on a file named after it in a directory all test
// processes share, held until this process exits, so two tests running at
// once never get the same one.
uint16_t free_port() {
    static std::mutex mutex;
    static std::mt19937 random{std::random_device{}()};
    const std::lock_guard lock(mutex);
    constexpr uint16_t first = 25000;
    const uint16_t last = std::min<unsigned>(32767, ephemeral_first() - 1);
    const fs::path claims = fs::temp_directory_path() / "warden-test-ports";
    std::error_code ignored;
    fs::create_directories(claims, ignored);
    fs::permissions(claims, fs::perms::all | fs::perms::sticky_bit, ignored);
    const unsigned span = last - first + 1;
    const unsigned start = std::uniform_int_distribution<unsigned>(0, span - 1)(random);
    for (unsigned i = 0; i < span; ++i) {
        const auto port = static_cast<uint16_t>(first + (start + i) % span);
        const std::string file = (claims / std::to_string(port)).string();
        const int claim = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
        if (claim < 0) continue;
        if (::flock(claim, LOCK_EX | LOCK_NB) != 0 || !bindable(port)) {
            ::close(claim);
            continue;
        }
        return port;  // `claim` stays open: the port is this process's until it exits
    }
    throw std::runtime_error("free_port: no free port in " + std::to_string(first) + "-" +
                             std::to_string(last) + " on 127.0.0.1");
}

Listener::Listener(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    sockaddr_in address = loopback(port);
    if (fd_ < 0 || ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        ::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0) {
        close();
        throw std::runtime_error("Listener: cannot listen on 127.0.0.1:" + std::to_string(port));
    }
}

Listener::~Listener() {
    close();
}

void Listener::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace warden::test
