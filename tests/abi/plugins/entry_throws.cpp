// SPDX-License-Identifier: Apache-2.0
// entry_throws.cpp — a C++ plugin written without the SDK's wrapper whose
// entry lets an exception escape into the host. The host must refuse it at
// "entry call" and go on, not terminate.
#include <warden/plugin.h>

#include <stdexcept>

extern "C" const warden_plugin *warden_plugin_entry(uint32_t) {
    throw std::runtime_error("entry exploded");
}
