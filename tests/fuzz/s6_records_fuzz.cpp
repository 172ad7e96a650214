// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/s6_records_fuzz.cpp — the host's own records in a scan dir,
// as a damaged or hostile file could read: a service's .warden-manifest and
// an instance record. A manifest that decodes names only paths inside the
// service directory.
#include "s6/instance_record.hpp"
#include "s6/service_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    // A manifest that decodes never names a path outside its directory.
    if (const auto entries = warden::host::decode_manifest(bytes))
        for (const auto &[path, line] : *entries) {
            if (path.empty() || path[0] == '/') std::abort();
            for (const auto &part : std::filesystem::path(path))
                if (part == ".." || part == ".") std::abort();
        }
    if (const auto record = warden::host::decode_instance_record(bytes)) {
        // What decodes encodes back to the same bytes.
        if (warden::host::encode_instance_record(*record) != bytes) std::abort();
    }
    return 0;
}
