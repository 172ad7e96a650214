// host/plugins/service_structs.hpp — translating between the ABI's service
// structs and the S6Client's types.
//
// A plugin's spec is read field by field within its struct_size, with every
// zero field given the default plugin.h writes beside it; a status is written
// back only within the caller's struct_size [WP-ABI-3].
#pragma once

#include "common/result.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_spec.hpp"

#include <warden/plugin.h>

namespace warden::host {

/// The S6Client spec for a plugin's spec, defaults applied. Unknown flag bits
/// are refused as unsupported [WP-ABI-6].
Result<ServiceSpec> service_spec_from(const warden_service_spec &c);

/// Writes `status` into `out`, only within out->struct_size.
void write_service_status(const ServiceStatus &status, warden_service_status *out);

/// The status a plugin sees for an error of `kind`.
warden_status status_for(ErrorKind kind);

}  // namespace warden::host
