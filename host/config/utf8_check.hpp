// SPDX-License-Identifier: Apache-2.0
// host/config/utf8_check.hpp — is the config file UTF-8?
//
// YAML is UTF-8 here, and so is the JSON a plugin gets. A file saved in
// another encoding (Latin-1 "café") is refused at its first bad byte, with
// its line and column, before anything reads it as YAML.
#pragma once

#include "config/config_problem.hpp"

#include <optional>
#include <string_view>

namespace warden::host {

/// The problem at the first byte of `text` that does not start a well-formed
/// UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF), or nothing when all of it is UTF-8. The column counts
/// characters from 1.
std::optional<ConfigProblem> find_non_utf8(std::string_view text);

}  // namespace warden::host
