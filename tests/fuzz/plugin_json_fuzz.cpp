// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/plugin_json_fuzz.cpp — a document a plugin hands the host
// (desired or observed state): accepted only as one JSON object the host
// can parse, keep and write out again.
#include "plugin_services/json_document.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    if (!warden::host::is_json_object(text)) return 0;
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_object()) std::abort();
    (void)parsed.dump();  // throws on bad UTF-8: the check let none through
    return 0;
}
