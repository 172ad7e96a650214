// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/host_tools.hpp — the host services that are not s6
// operations: the HTTP probe [WP-HTTP-1], port reservations [WP-PORT-1],
// command runs [WP-CMD-1] and published figures [WP-FIG-1].
//
// Each checks the call against the SDK's rules first (warden/host_rules.hpp,
// shared with the fake host), reads the plugin's structs within their
// struct_size, hands the work to host/net or host/process, writes back only
// within the caller's
// struct_size, leaves the error text for last_service_error, and writes one
// audit line: worker, operation, target, result, duration (debug; a failed
// command at warn). A figure changes nothing outside the host and is
// published every few seconds: it is not audited.
//
// THREADING: every function is thread-safe. They may throw std::bad_alloc;
// the host services table catches it.
#pragma once

#include "plugin_services/handles.hpp"

#include <warden/plugin.h>

namespace warden::host {

/// http_probe: any caller context; only 127.0.0.1.
warden_status probe_http(const warden_host_ctx &caller, const warden_http_request *request,
                         warden_http_response *response, warden_receive_fn on_body, void *user);

/// port_reserve: a worker context with a port registry (else unsupported).
warden_status reserve_port(const warden_host_ctx &caller, warden_str purpose, uint32_t requested,
                           uint32_t *out_port);

/// command_run: any caller context; `cancel` may be NULL.
warden_status run_command_for(const warden_host_ctx &caller, const warden_command *command,
                              const warden_cancel *cancel, warden_command_result *result,
                              warden_receive_fn on_output, void *user);

/// figure_publish: a worker context with the host's figures (else
/// unsupported; the plugin's own is not permitted).
warden_status publish_figure(const warden_host_ctx &caller, const warden_figure *figure);

}  // namespace warden::host
