// tests/bench/ports.cpp
#include "ports.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace warden::bench {

std::vector<uint32_t> free_ports(int count) {
    std::vector<uint32_t> out;
    for (uint32_t port = kFirstPort; port <= kLastPort && static_cast<int>(out.size()) < count;
         ++port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
            out.push_back(port);
        ::close(fd);
    }
    if (static_cast<int>(out.size()) < count)
        throw std::runtime_error("fewer than " + std::to_string(count) + " free ports in " +
                                 std::to_string(kFirstPort) + "-" + std::to_string(kLastPort));
    return out;
}

}  // namespace warden::bench
