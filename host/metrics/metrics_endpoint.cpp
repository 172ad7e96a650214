// SPDX-License-Identifier: Apache-2.0
// host/metrics/metrics_endpoint.cpp
#include "metrics/metrics_endpoint.hpp"

#include "common/unique_fd.hpp"

#include <prometheus/exposer.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace warden::host {
namespace {

// civetweb says only that it could not listen: bind a socket of our own
// first, for the cause. It is closed before civetweb binds (SO_REUSEADDR on
// both, so a socket of ours in TIME_WAIT is no obstacle).
Result<void> try_bind(const ListenAddress &address) {
    const int family = address.ipv6 ? AF_INET6 : AF_INET;
    UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.fd < 0) return fail("cannot make a socket: ", std::strerror(errno));
    const int yes = 1;
    ::setsockopt(fd.fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // As civetweb binds an IPv6 address: IPv6 only.
    if (address.ipv6) ::setsockopt(fd.fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof yes);
    int bound = -1;
    if (address.ipv6) {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(address.port);
        ::inet_pton(AF_INET6, address.ip.c_str(), &in6.sin6_addr);
        bound = ::bind(fd.fd, reinterpret_cast<const sockaddr *>(&in6), sizeof in6);
    } else {
        sockaddr_in in4{};
        in4.sin_family = AF_INET;
        in4.sin_port = htons(address.port);
        ::inet_pton(AF_INET, address.ip.c_str(), &in4.sin_addr);
        bound = ::bind(fd.fd, reinterpret_cast<const sockaddr *>(&in4), sizeof in4);
    }
    if (bound == 0) return {};
    const int error = errno;
    switch (error) {
        case EADDRINUSE:
            return fail_as(ErrorKind::conflict,
                           "the port is taken by another program (EADDRINUSE)");
        case EADDRNOTAVAIL: return fail("the address is not one of this machine's (EADDRNOTAVAIL)");
        case EACCES: return fail("a port below 1024 needs privileges the host lacks (EACCES)");
        default: return fail(std::strerror(error));
    }
}

}  // namespace

Result<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::start(
    const ListenAddress &address, std::weak_ptr<prometheus::Collectable> source) {
    const std::string where = "metrics endpoint " + address.text();
    if (Result<void> free = try_bind(address); !free)
        return fail_as(free.error().kind, where, ": cannot listen: ", free.error().message);
    std::unique_ptr<prometheus::Exposer> exposer;
    try {
        // civetweb's own options; the address was checked, so nothing in it
        // reads as another option or a second port.
        // No keep-alive: a scraper's idle connection would hold one of the
        // two threads between its scrapes.
        exposer = std::make_unique<prometheus::Exposer>(std::vector<std::string>{
            "listening_ports", address.text(), "num_threads", std::to_string(kServerThreads),
            "request_timeout_ms", std::to_string(kRequestTimeoutMs), "enable_keep_alive", "no"});
        exposer->RegisterCollectable(source);
    } catch (const std::exception &e) {
        return fail(where, ": cannot listen: ", e.what());
    }
    return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(address, std::move(exposer)));
}

MetricsEndpoint::MetricsEndpoint(ListenAddress address,
                                 std::unique_ptr<prometheus::Exposer> exposer)
    : address_(std::move(address)), exposer_(std::move(exposer)) {}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace warden::host
