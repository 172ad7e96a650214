// SPDX-License-Identifier: Apache-2.0
// host/status/status_json.cpp — the document of `warden --status --json`,
// member by member as docs/status.md lists them, in that order.
#include "status/status_json.hpp"

#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <nlohmann/json.hpp>

namespace warden::host {
namespace {

// Members keep the order they are written in: the documented one.
using Json = nlohmann::ordered_json;

// The host's "never" and "none" (0, "") are null in the document.
Json time_or_null(int64_t unix_ns) {
    return unix_ns == 0 ? Json(nullptr) : Json(unix_ns);
}

Json text_or_null(const std::string &text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

// A warden_status as a name of the document's own: snake_case, stable.
std::string_view status_code_name(int32_t status) {
    switch (status) {
        case WARDEN_OK: return "ok";
        case WARDEN_ERR: return "error";
        case WARDEN_ERR_INVALID_ARGUMENT: return "invalid_argument";
        case WARDEN_ERR_NOT_FOUND: return "not_found";
        case WARDEN_ERR_NOT_PERMITTED: return "not_permitted";
        case WARDEN_ERR_UNSUPPORTED: return "unsupported";
        case WARDEN_ERR_TIMEOUT: return "timeout";
        case WARDEN_ERR_CANCELLED: return "cancelled";
        case WARDEN_ERR_NOT_SUPERVISED: return "not_supervised";
        case WARDEN_ERR_CONFLICT: return "conflict";
        default: return "unknown";
    }
}

// The plugin's observed document, as JSON in the document; null when there
// is none or it is not one JSON object within the host's depth limit (the
// check walks the text without recursion before anything is parsed).
Json observed_document(const std::string &text) {
    if (text.empty() || !warden::rules::is_json_object(text)) return nullptr;
    Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return document.is_discarded() ? Json(nullptr) : document;
}

// What s6 says of a service is current only while an s6-supervise holds
// it; otherwise only its name and death count mean anything.
Json service_json(const ServiceView &s) {
    const bool up = s.supervised && s.up;
    return Json{{"name", s.name},
                {"state", !s.supervised ? "unsupervised"
                          : up          ? "up"
                                        : "down"},
                {"supervised", s.supervised},
                {"up", up},
                {"pid", up ? Json(s.pid) : Json(nullptr)},
                {"since", s.supervised ? time_or_null(s.since) : Json(nullptr)},
                {"restarts", s.restarts}};
}

Json worker_json(const WorkerReport &r) {
    const WorkerStatus &w = r.worker;
    const bool acted = !w.last_action.empty();
    Json services = Json::array();
    for (const ServiceView &s : r.services) services.push_back(service_json(s));
    const ServiceView *main = main_service(r);
    return Json{
        {"type", w.type},
        {"name", w.name},
        {"state", w.state},
        {"phase", w.phase},
        {"phase_name", phase_name(w.phase)},
        {"desired_state", desired_state_name(w.desired_state)},
        {"healthy", worker_healthy(w)},
        {"reason", w.reason},
        {"state_since", time_or_null(w.state_since)},
        {"state_changes", w.state_changes},
        {"shutdown_requested", w.shutdown_requested},
        {"observation",
         {{"at", time_or_null(w.observed_at)},
          {"stale", w.stale},
          {"error", text_or_null(w.collect_error)},
          {"collector_restarts", w.collector_restarts},
          {"document", observed_document(w.observed_json)}}},
        {"action",
         {{"running", text_or_null(w.action_running)},
          {"last", text_or_null(w.last_action)},
          {"last_status", acted ? Json(w.last_action_status) : Json(nullptr)},
          {"last_status_name",
           acted ? Json(status_code_name(w.last_action_status)) : Json(nullptr)},
          {"last_error", text_or_null(w.last_action_error)},
          {"last_finished", time_or_null(w.last_action_finished)},
          {"failures", w.action_failures},
          {"retry_at", time_or_null(w.action_retry_at)}}},
        {"failure", w.failure.empty() ? Json(nullptr)
                                      : Json{{"message", w.failure},
                                             {"retry_at", time_or_null(w.failure_retry_at)}}},
        {"main_service", main == nullptr ? Json(nullptr) : Json(main->name)},
        {"services", std::move(services)}};
}

// One line: any byte a plugin or a path holds is escaped or replaced.
std::string dump_line(const Json &document) {
    return document.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string_view status_error_kind_name(StatusErrorKind kind) {
    switch (kind) {
        case StatusErrorKind::no_host: return "no_host";
        case StatusErrorKind::config: return "config";
        case StatusErrorKind::permission_denied: return "permission_denied";
        case StatusErrorKind::timeout: return "timeout";
        case StatusErrorKind::bad_answer: return "bad_answer";
        case StatusErrorKind::request_failed: return "request_failed";
        case StatusErrorKind::internal: return "internal";
    }
    return "internal";
}

std::string_view desired_state_name(int32_t desired_state) {
    switch (desired_state) {
        case WARDEN_DESIRED_RUNNING: return "running";
        case WARDEN_DESIRED_STOPPED: return "stopped";
        default: return "unknown";
    }
}

std::string status_json(const HostReport &host, const std::vector<WorkerReport> &workers,
                        int64_t generated_at) {
    Json list = Json::array();
    for (const WorkerReport &r : workers) list.push_back(worker_json(r));
    return dump_line(Json{{"format", kStatusJsonFormat},
                          {"version", kStatusJsonVersion},
                          {"generated_at", generated_at},
                          {"host",
                           {{"pid", host.pid},
                            {"started", time_or_null(host.started)},
                            {"config_file", host.config_file},
                            {"config_loaded", time_or_null(host.config_loaded)}}},
                          {"workers", std::move(list)}});
}

std::string status_error_json(StatusErrorKind kind, std::string_view message) {
    return dump_line(Json{
        {"format", kStatusJsonFormat},
        {"version", kStatusJsonVersion},
        {"error", {{"kind", status_error_kind_name(kind)}, {"message", std::string(message)}}}});
}

}  // namespace warden::host
