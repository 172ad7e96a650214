// SPDX-License-Identifier: Apache-2.0
// host/net/listen_address.hpp — an address the host listens on for others
// (the metrics endpoint): an IP literal and a port, as a user writes it in
// warden.yaml. Host names are refused: what a name resolves to may change
// under a running host, and an endpoint must not move by itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::host {

struct ListenAddress {
    bool ipv6 = false;
    std::string ip;  ///< as inet_pton read it back: "127.0.0.1", "::1"
    uint16_t port = 0;

    /// "127.0.0.1:9478" or "[::1]:9478".
    std::string text() const;
    bool operator==(const ListenAddress &o) const {
        return ipv6 == o.ipv6 && ip == o.ip && port == o.port;
    }
    bool operator!=(const ListenAddress &o) const { return !(*this == o); }
};

/// "IPv4:PORT" or "[IPv6]:PORT", the port 1 to 65535 in plain digits;
/// anything else (a host name, a missing port, a zone, spaces) gives
/// nullopt and `why` says what is wrong.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string &why);

}  // namespace warden::host
