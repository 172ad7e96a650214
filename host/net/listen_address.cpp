// SPDX-License-Identifier: Apache-2.0
// host/net/listen_address.cpp
#include "net/listen_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace warden::host {

std::string ListenAddress::text() const {
    return (ipv6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string &why) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        why = "must be an IP address and a port, such as 127.0.0.1:9478 or [::1]:9478";
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        why = "the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    const unsigned long number = std::stoul(std::string(port));
    if (number < 1 || number > 65535) {
        why = "the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    ListenAddress address;
    address.port = static_cast<uint16_t>(number);
    if (!host.empty() && host.front() == '[') {
        if (host.size() < 2 || host.back() != ']') {
            why = "an IPv6 address is written in brackets, such as [::1]:9478";
            return std::nullopt;
        }
        host = host.substr(1, host.size() - 2);
        address.ipv6 = true;
    }
    const std::string ip(host);
    if (ip.find('\0') != std::string::npos) {
        why = "the address holds a NUL byte";
        return std::nullopt;
    }
    char canonical[INET6_ADDRSTRLEN] = {};
    if (address.ipv6) {
        in6_addr bytes{};
        if (::inet_pton(AF_INET6, ip.c_str(), &bytes) != 1 ||
            ::inet_ntop(AF_INET6, &bytes, canonical, sizeof canonical) == nullptr) {
            why = "the part in brackets is not an IPv6 address";
            return std::nullopt;
        }
    } else {
        in_addr bytes{};
        if (::inet_pton(AF_INET, ip.c_str(), &bytes) != 1 ||
            ::inet_ntop(AF_INET, &bytes, canonical, sizeof canonical) == nullptr) {
            why = ip.find(':') != std::string::npos
                      ? "an IPv6 address is written in brackets, such as [::1]:9478"
                      : "the part before the port is not an IPv4 address (host names are not "
                        "taken)";
            return std::nullopt;
        }
    }
    address.ip = canonical;
    return address;
}

}  // namespace warden::host
