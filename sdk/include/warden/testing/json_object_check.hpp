// SPDX-License-Identifier: Apache-2.0
// warden/testing/json_object_check.hpp — is this text one JSON object?
//
// The host accepts exactly one JSON object from derive_desired_state and
// collect_observed_state: valid UTF-8, nested at most WARDEN_MAX_JSON_DEPTH
// deep. The check is the host's own (warden/host_rules.hpp), and the fake
// host applies it, so a plugin that writes broken JSON — an unescaped quote
// in a C plugin's reason, say — fails its own unit tests first.
//
// THREADING: a pure function; call from any thread.
#ifndef WARDEN_TESTING_JSON_OBJECT_CHECK_HPP
#define WARDEN_TESTING_JSON_OBJECT_CHECK_HPP

#include <warden/host_rules.hpp>

#include <string_view>

namespace warden::testing {

/// Whether `text` is exactly one JSON object, with nothing but white space
/// around it, as the host takes it.
inline bool is_json_object(std::string_view text) {
    return rules::is_json_object(text);
}

}  // namespace warden::testing

#endif  // WARDEN_TESTING_JSON_OBJECT_CHECK_HPP
