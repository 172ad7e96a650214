// SPDX-License-Identifier: Apache-2.0
// host/status/status_request.cpp
#include "status/status_request.hpp"

namespace warden::host {

RequestState parse_status_request(std::string_view received) noexcept {
    if (received.size() > kStatusRequest.size()) return RequestState::invalid;
    if (kStatusRequest.substr(0, received.size()) != received) return RequestState::invalid;
    return received.size() == kStatusRequest.size() ? RequestState::status
                                                    : RequestState::incomplete;
}

}  // namespace warden::host
