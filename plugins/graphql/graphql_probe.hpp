// SPDX-License-Identifier: Apache-2.0
// graphql_probe.hpp — what a `graphql` worker asks its server, and how it
// reads the answers: the GraphQL request, the metrics, the log.
//
// Pure functions on what the server sent, which is hostile input: bounded,
// never thrown on, quoted only through warden::printable.
#pragma once

#include <warden/kit/prometheus.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace graphql_plugin {

/// The name of the worker's own GraphQL operation. Named, so that the
/// server's metrics tell the worker's probes from its clients' requests
/// (graphql_envelop_request{operationName="warden_probe"}).
inline constexpr std::string_view kProbeOperation = "warden_probe";

/// The body of the worker's GraphQL request: `{ __typename }` as the
/// operation kProbeOperation, in JSON, as GraphQL over HTTP POSTs it.
std::string probe_body();

/// Why an answer to probe_body() is not a working GraphQL server's, or ""
/// when it is: HTTP 200 and `{"data":{"__typename":"<the root query type>"}}`
/// ("Query" in almost every schema) without errors.
std::string typename_problem(int status_code, std::string_view body);

/// The server's request and error-result counters, summed over every
/// operation but the worker's own probes: "requests" from
/// graphql_envelop_request, "errors" from graphql_envelop_error_result (the
/// names GraphQL Yoga's Prometheus plugin and the topic browser use). Error
/// results of the `parse` and `validate` phases are a client's mistakes (a
/// typo in a query), not the server's trouble: they are left out.
struct ServerMetrics {
    warden::kit::Counters counters;  ///< "requests", "errors"
    bool has_requests = false;       ///< graphql_envelop_request is there at all
    std::string problem;             ///< what the scan skipped, "" = clean
};
ServerMetrics read_server_metrics(std::string_view text);

/// The server's newest error line in its log (each line as s6-log wrote it,
/// timestamp first, oldest first), its timestamp taken off: Node's
/// `Error: ...` (or `TypeError: ...`) of an uncaught exception, or a line
/// beginning `error` / `fatal` in any case. Lines before the topic browser's
/// last start line, and `since_line` itself and the lines before it (the
/// log's last line when the worker first saw the current process up),
/// belong to an earlier process and are not read. "" when none.
std::string newest_error_line(const std::vector<std::string> &lines,
                              std::string_view since_line = {});

/// The newest error line as a reason: a taken port is named as such
/// ("port 8090 is taken by another program (EADDRINUSE): Error: listen ...").
std::string error_reason(const std::string &line, uint32_t port);

}  // namespace graphql_plugin
