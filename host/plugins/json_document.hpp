// host/plugins/json_document.hpp — whether a document a plugin hands the
// host (its desired or observed state) is one the host can keep and show.
//
// A document must be one JSON object, valid UTF-8 throughout (so it can be
// shown and written out again), nested at most kMaxJsonDepth deep. The
// depth is checked first, without recursion, so a document of a million
// open brackets is refused before a recursive parser could overflow the
// stack; the size was bounded by the host's sink already.
// THREADING: a pure function; call from any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace warden::host {

inline constexpr std::size_t kMaxJsonDepth = 128;

/// True when `text` is one JSON object within kMaxJsonDepth levels.
bool is_json_object(std::string_view text);

}  // namespace warden::host
