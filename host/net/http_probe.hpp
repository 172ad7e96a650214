// SPDX-License-Identifier: Apache-2.0
// host/net/http_probe.hpp — one HTTP request to a service on 127.0.0.1,
// the host's side of the http_probe slot [WP-HTTP-1].
//
// Built for health checks that run on every observation: each thread keeps
// one libcurl handle and its keep-alive connections to loopback, so a probe
// costs a request on an open socket, not a connect and a handle setup. No
// proxy, no redirects, no signals, no name resolution (the address is
// always 127.0.0.1). A GET sends no body; a POST or a PUT sends its body as
// given, with its content type (or none) and no "Expect: 100-continue".
//
// Outcomes: any HTTP answer (5xx too) is a status code and a body; a refused
// connection is not_found, no answer in time is timeout, a body past 4 MiB
// or a broken answer is failed. Every error text begins with the request,
// "http GET 127.0.0.1:4195/ready: ...".
//
// THREADING: thread-safe; each thread uses its own handle. Call
// init_http_probe() once before the host starts threads (later calls do
// nothing; a probe calls it too, for programs that did not).
#pragma once

#include "common/result.hpp"

#include <warden/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace warden::host {

inline constexpr std::chrono::milliseconds kHttpDefaultTimeout{WARDEN_DEFAULT_HTTP_TIMEOUT_MS};
inline constexpr std::chrono::milliseconds kHttpMaxTimeout{WARDEN_MAX_HTTP_TIMEOUT_MS};
inline constexpr std::size_t kHttpMaxBodyBytes = WARDEN_MAX_HTTP_BODY_BYTES;

struct HttpRequest {
    std::string_view method = "GET";  ///< "GET", "POST" or "PUT"; empty = "GET"
    uint32_t port = 0;                ///< 1..65535, on 127.0.0.1
    std::string_view path = "/";      ///< begins with '/'; no spaces or control characters
    std::string_view content_type;    ///< of body; empty = none sent
    std::string_view body;            ///< POST and PUT only
    std::chrono::milliseconds timeout = kHttpDefaultTimeout;  ///< 0 = default; capped
};

/// Sets libcurl up for the process. Idempotent and thread-safe.
void init_http_probe();

/// The first problem with `request`, by the SDK's rule for a plugin's probe
/// (rules::http_request_problem, in its words): a method other than GET,
/// POST or PUT is unsupported; a bad port, path or content type, or a GET
/// with a body, is an invalid argument. Or nothing.
Result<void> check_http_request(const HttpRequest &request);

/// Sends `request` and returns the answer's status code, its body in `body`
/// (replaced; the string's capacity is reused, so a caller that keeps one
/// string per thread allocates nothing per probe).
Result<int> http_probe(const HttpRequest &request, std::string &body);

/// "GET 127.0.0.1:4195/ready", for error texts and audit lines.
std::string http_target(const HttpRequest &request);

}  // namespace warden::host
