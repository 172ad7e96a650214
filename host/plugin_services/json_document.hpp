// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/json_document.hpp — whether a document a plugin hands
// the host (its desired or observed state) is one the host can keep and show.
//
// A document must be one JSON object, valid UTF-8 throughout (so it can be
// shown and written out again), nested at most WARDEN_MAX_JSON_DEPTH deep;
// the sink bounded its size already (WARDEN_MAX_JSON_BYTES). The check is
// the SDK's (warden/host_rules.hpp), shared with the fake host: it walks the
// text once, without recursion, so a document of a million open brackets is
// refused without a deep stack.
// THREADING: pure functions; call from any thread.
#pragma once

#include "common/result.hpp"

#include <warden/host_rules.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace warden::host {

inline constexpr std::size_t kMaxJsonDepth = WARDEN_MAX_JSON_DEPTH;

/// True when `text` is one JSON object within kMaxJsonDepth levels.
using warden::rules::is_json_object;

/// The document `hook` wrote into its sink, when it is one the host keeps;
/// otherwise an error saying why, in the words the fake host uses too.
Result<std::string> finish_document(std::string_view hook, std::string text);

}  // namespace warden::host
