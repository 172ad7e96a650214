// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/status_request_fuzz.cpp — both ends of the status socket: the
// request a client sends the host, and the report a host (or anything
// listening on the socket) sends `warden --status`, which formats it.
#include "status/status_report.hpp"
#include "status/status_request.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    const auto state = warden::host::parse_status_request(text);
    if (state == warden::host::RequestState::status && text != warden::host::kStatusRequest)
        std::abort();
    if (state == warden::host::RequestState::brief && text != warden::host::kBriefStatusRequest)
        std::abort();
    warden::host::HostReport host;
    std::vector<warden::host::WorkerReport> workers;
    if (warden::host::decode_report(text, host, workers))
        (void)warden::host::format_table(host, workers, 1'800'000'000'000'000'000);
    return 0;
}
