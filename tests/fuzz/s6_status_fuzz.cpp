// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/s6_status_fuzz.cpp — what s6-supervise writes, as the host
// decodes it: supervise/status and supervise/death_tally, any bytes.
#include "s6/service_status.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    auto status = warden::host::decode_status(bytes);
    if (status) (void)status->up();
    const warden::host::DeathTally tally(bytes);
    (void)tally.count();
    (void)tally.deaths_after(tally.last_death_ns());
    (void)tally.last_exit_code();
    (void)tally.last_signal();
    return 0;
}
