// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_http.hpp — the fake host's http_probe slot, answered
// from a table of routes the test sets.
//
// FakeHttp maps (port, path) to an answer, to "no answer in time" or, for a
// route it does not know, to a refused connection. An answer is either fixed
// (serve: the same for every method) or made by a handler the test sets
// (handle), which sees each request whole — method, path, content type and
// the body of a POST or PUT — and may throw warden::Error to play a host
// failure with its status and text. The slot applies the host's rules first,
// in its order and words (warden/host_rules.hpp): the request (GET, POST or
// PUT, port, path, content type, a GET without a body), then the caller's
// scope (a worker probes only the ports it holds). No socket is opened.
//
// THREADING: thread-safe; the handler and the body callback run on the
// calling thread with no lock held, the handler possibly from several
// threads at once.
#ifndef WARDEN_TESTING_FAKE_HTTP_HPP
#define WARDEN_TESTING_FAKE_HTTP_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/testing/fake_ports.hpp>
#include <warden/types.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace warden::testing {

/// The routes the fake HTTP probe answers from.
/// THREADING: thread-safe.
class FakeHttp {
public:
    /// Makes the answer to one request that passed the host's rules.
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    /// Answer requests for `path` on `port` with `response`, whatever their method.
    void serve(uint32_t port, const std::string &path, HttpResponse response) {
        handle(port, path,
               [response = std::move(response)](const HttpRequest &) { return response; });
    }
    /// Answer requests for `path` on `port` from `handler`.
    void handle(uint32_t port, const std::string &path, Handler handler) {
        std::lock_guard<std::mutex> lock(mutex_);
        timeouts_.erase({port, path});
        routes_[{port, path}] = std::move(handler);
    }
    /// Requests for `path` on `port` get no answer: WARDEN_ERR_TIMEOUT.
    void time_out(uint32_t port, const std::string &path) {
        std::lock_guard<std::mutex> lock(mutex_);
        routes_.erase({port, path});
        timeouts_.insert({port, path});
    }
    /// Nothing listens on `port` any more: every request to it is refused.
    void stop(uint32_t port) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto on_port = [port](const auto &route) { return route.first == port; };
        for (auto it = routes_.begin(); it != routes_.end();)
            it = on_port(it->first) ? routes_.erase(it) : std::next(it);
        for (auto it = timeouts_.begin(); it != timeouts_.end();)
            it = on_port(*it) ? timeouts_.erase(it) : std::next(it);
    }

    /// What `request` gets: an answer, or nothing (a timeout when
    /// `timed_out`, else a refused connection). What its route's handler
    /// throws goes through.
    std::optional<HttpResponse> answer(const HttpRequest &request, bool &timed_out) const {
        Handler handler;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            timed_out = timeouts_.count({request.port, request.path}) != 0;
            const auto it = routes_.find({request.port, request.path});
            if (timed_out || it == routes_.end()) return std::nullopt;
            handler = it->second;
        }
        return handler(request);
    }

private:
    mutable std::mutex mutex_;
    std::map<std::pair<uint32_t, std::string>, Handler> routes_;
    std::set<std::pair<uint32_t, std::string>> timeouts_;
};

namespace fake_detail {

inline warden_status http_probe(warden_host_ctx *c, const warden_http_request *request,
                                warden_http_response *response, warden_receive_fn on_body,
                                void *user) {
    if (c == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT, "http_probe: NULL context");
    const Context &caller = *ctx(c);
    rules::Refusal refused = rules::http_request_problem(request);
    if (refused) return answer(std::move(refused));
    HttpRequest asked;
    asked.method = std::string(rules::text_of(request->method));
    if (asked.method.empty()) asked.method = "GET";
    asked.port = request->port;
    asked.path = std::string(rules::text_of(request->path));
    asked.content_type = std::string(rules::text_of(request->content_type));
    asked.body = std::string(rules::text_of(request->body));
    asked.timeout_ms = request->timeout_ms;
    const std::string target = rules::http_target(asked.method, asked.port, asked.path);
    // A worker probes the ports it holds; one made without a registry holds none.
    const bool holds = caller.offers_ports && !caller.type.empty() &&
                       caller.ports().holds(caller.type, caller.name, request->port);
    refused = rules::http_scope_problem(caller.caller(), request->port, holds);
    if (refused) return answer(std::move(refused));
    bool timed_out = false;
    std::optional<HttpResponse> got;
    try {
        got = caller.parts->http->answer(asked, timed_out);
    } catch (const Error &e) {
        refused = rules::refuse(e.status() == WARDEN_OK ? WARDEN_ERR : e.status(), e.what());
    } catch (const std::exception &e) {
        refused = rules::refuse(WARDEN_ERR,
                                "http " + target + ": the test's HTTP handler threw: " + e.what());
    }
    if (!refused && timed_out)
        refused =
            rules::refuse(WARDEN_ERR_TIMEOUT,
                          "http " + target + ": no answer within " +
                              std::to_string(rules::http_timeout_ms(request->timeout_ms)) + " ms");
    else if (!refused && !got)
        refused = rules::refuse(WARDEN_ERR_NOT_FOUND, "http " + target + ": connection refused");
    caller.parts->audit->record(caller.type, caller.name, "http_probe", target, refused.status);
    if (refused) return answer(std::move(refused));
    if (response != nullptr && WARDEN_HAS_FIELD(response, warden_http_response, status_code))
        response->status_code = got->status_code;
    if (on_body != nullptr && !got->body.empty()) on_body(user, str(got->body));
    service_error().clear();  // after the plugin's callback, which may call services itself
    return WARDEN_OK;
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_HTTP_HPP
