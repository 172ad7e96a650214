// SPDX-License-Identifier: Apache-2.0
// host/config/core_schema.hpp — what a plain YAML scalar stands for.
//
// YAML 1.2's core schema (section 10.3.2): null (empty, ~, null), a boolean
// (true, false), an integer (decimal, 0o octal, 0x hex), a float (1.5, 1e3,
// .inf, .nan), each word in its three casings (null, Null, NULL); anything
// else is the text itself. So is a number too large for 64 bits: its digits
// stay a string. Only plain scalars are typed; a quoted or tagged one is
// always text, which the caller decides. Classified by hand in one pass
// over the text: a scalar may be 256 KiB long.
//
// THREADING: pure functions; call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

namespace warden::host {

/// The value of a plain scalar. A string_view points into the scalar given.
using CoreValue = std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string_view>;

/// What the plain scalar `text` stands for.
CoreValue core_value(std::string_view text);

/// Whether the plain scalar `text` is null: empty, ~, null, Null or NULL.
bool is_core_null(std::string_view text);

/// true or false for the plain scalar `text` (true, True, TRUE, ...), or
/// nothing when it is not a boolean.
std::optional<bool> core_boolean(std::string_view text);

}  // namespace warden::host
