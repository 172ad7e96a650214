// SPDX-License-Identifier: Apache-2.0
// host/s6/service_name.hpp — which names a service may have.
//
// A service name becomes a directory name under the scan dir, so it is
// checked, never normalised: [a-z0-9][a-z0-9_-]{0,63}. Names beginning with
// "." are s6-svscan's and the S6Client's own (hidden) entries.
#pragma once

#include "common/result.hpp"

#include <warden/validation.hpp>

#include <string_view>

namespace warden::host {

using warden::valid_service_name;

/// The name, or an invalid_argument error that quotes it.
Result<void> check_service_name(std::string_view name);

}  // namespace warden::host
