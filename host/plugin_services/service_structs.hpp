// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/service_structs.hpp — translating between the ABI's
// service structs and the S6Client's types, and between the SDK's refusals
// and the host's errors.
//
// A plugin's spec is checked by the SDK's rule (warden/host_rules.hpp, the
// fake host's too) and read field by field within its struct_size, with
// every zero field given the default plugin.h names beside it, and who its
// process runs as settled by the SDK's rule too; a status is written back
// only within the caller's struct_size [WP-ABI-3].
#pragma once

#include "common/result.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_spec.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

namespace warden::host {

/// The S6Client spec for a plugin's spec, defaults applied, once it passed
/// rules::service_spec_problem (unknown flag bits are refused as unsupported
/// [WP-ABI-6]) and rules::settle_service_account for `host` against
/// `accounts` (its user and group are set only when the host switches).
Result<ServiceSpec> service_spec_from(const warden_service_spec &c, const rules::HostAccount &host,
                                      const rules::AccountDirectory &accounts);

/// Writes `status` into `out`, only within out->struct_size.
void write_service_status(const ServiceStatus &status, warden_service_status *out);

/// The status a plugin sees for an error of `kind`.
warden_status status_for(ErrorKind kind);

/// The error kind a plugin's `status` stands for (WARDEN_ERR and unknown
/// codes: failed).
ErrorKind kind_for(warden_status status);

/// A refusal of one of the SDK's rules as the host's error.
Error error_from(const rules::Refusal &refusal);

}  // namespace warden::host
