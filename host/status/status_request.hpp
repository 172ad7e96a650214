// SPDX-License-Identifier: Apache-2.0
// host/status/status_request.hpp — the two requests the status socket
// takes: the seven bytes "status\n" (the whole report) or the thirteen
// bytes "status brief\n" (the report without each worker's documents, all
// the table needs), nothing before them and nothing after.
#pragma once

#include <string_view>

namespace warden::host {

inline constexpr std::string_view kStatusRequest = "status\n";
inline constexpr std::string_view kBriefStatusRequest = "status brief\n";

enum class RequestState {
    incomplete,  ///< a prefix of the request: wait for more
    status,      ///< exactly the request: answer it
    brief,       ///< exactly the brief request: answer it without the documents
    invalid,     ///< anything else, or more bytes than the request: close without an answer
};

/// What the bytes a client has sent so far amount to. Pure, and total on
/// any bytes: the server calls it after each read with all it received.
RequestState parse_status_request(std::string_view received) noexcept;

}  // namespace warden::host
