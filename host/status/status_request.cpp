// SPDX-License-Identifier: Apache-2.0
// host/status/status_request.cpp
#include "status/status_request.hpp"

namespace warden::host {

RequestState parse_status_request(std::string_view received) noexcept {
    const auto begins = [&](std::string_view request) {
        return received.size() <= request.size() && request.substr(0, received.size()) == received;
    };
    if (received == kStatusRequest) return RequestState::status;
    if (received == kBriefStatusRequest) return RequestState::brief;
    return begins(kStatusRequest) || begins(kBriefStatusRequest) ? RequestState::incomplete
                                                                 : RequestState::invalid;
}

}  // namespace warden::host
