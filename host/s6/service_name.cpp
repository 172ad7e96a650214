// SPDX-License-Identifier: Apache-2.0
// host/s6/service_name.cpp
#include "s6/service_name.hpp"

#include <warden/validation.hpp>

namespace warden::host {

Result<void> check_service_name(std::string_view name) {
    if (valid_service_name(name)) return {};
    return fail_as(ErrorKind::invalid_argument, "invalid service name '", printable(name, 80),
                   "': names are [a-z0-9][a-z0-9_-]{0,63}");
}

}  // namespace warden::host
