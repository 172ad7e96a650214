// benthos_observed.cpp — the observed document, to JSON and back.
#include "benthos_observed.hpp"

namespace benthos_plugin {
namespace {

using nlohmann::json;

json service_json(const warden::ServiceStatus &s) {
    return {{"exists", s.exists},
            {"supervised", s.supervised},
            {"up", s.up},
            {"want_up", s.want_up},
            {"normally_up", s.normally_up},
            {"died", s.died},
            {"pid", s.pid},
            {"since_ns", s.since_ns},
            {"last_exit_code", s.last_exit_code},
            {"last_signal", s.last_signal},
            {"restart_count", s.restart_count}};
}

warden::ServiceStatus service_from(const json &s) {
    warden::ServiceStatus out;
    out.exists = s.value("exists", false);
    out.supervised = s.value("supervised", false);
    out.up = s.value("up", false);
    out.want_up = s.value("want_up", false);
    out.normally_up = s.value("normally_up", false);
    out.died = s.value("died", false);
    out.pid = s.value("pid", int64_t{0});
    out.since_ns = s.value("since_ns", int64_t{0});
    out.last_exit_code = s.value("last_exit_code", 0);
    out.last_signal = s.value("last_signal", 0);
    out.restart_count = s.value("restart_count", 0u);
    return out;
}

}  // namespace

std::string BenthosObserved::to_json() const {
    const json out = {
        {"service", service_json(service)},
        {"up_for_ms", up_for_ms},
        {"down_for_ms", down_for_ms},
        {"http_port", http_port},
        {"port_error", port_error},
        {"deployed", deployed},
        {"lint",
         {{"fingerprint", lint.fingerprint}, {"passed", lint.passed}, {"message", lint.message}}},
        {"live", live},
        {"live_error", live_error},
        {"ready", ready},
        {"not_ready", not_ready},
        {"metrics_error", metrics_error},
        {"ready_for_ms", ready_for_ms},
        {"not_ready_for_ms", not_ready_for_ms},
        {"not_ready_restarts", not_ready_restarts},
        {"counters", counters.to_json()},
        {"last_minute", last_minute.to_json()},
        {"last_minute_ms", last_minute_ms},
        {"in_window", in_window.to_json()},
        {"window_ms", window_ms},
        {"last_error", last_error}};
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Before the first collect there is no document at all: that reads as
// "nothing exists yet".
BenthosObserved BenthosObserved::from_json(std::string_view observed_json) {
    BenthosObserved o;
    if (observed_json.empty()) return o;
    const json in = json::parse(observed_json, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object())
        throw warden::Error(WARDEN_ERR_INVALID_ARGUMENT, "observed state: not a JSON object");
    o.service = service_from(in.value("service", json::object()));
    o.up_for_ms = in.value("up_for_ms", int64_t{0});
    o.down_for_ms = in.value("down_for_ms", int64_t{0});
    o.http_port = in.value("http_port", 0u);
    o.port_error = in.value("port_error", "");
    o.deployed = in.value("deployed", "");
    const json lint = in.value("lint", json::object());
    o.lint.fingerprint = lint.value("fingerprint", "");
    o.lint.passed = lint.value("passed", false);
    o.lint.message = lint.value("message", "");
    o.live = in.value("live", false);
    o.live_error = in.value("live_error", "");
    o.ready = in.value("ready", false);
    o.not_ready = in.value("not_ready", "");
    o.metrics_error = in.value("metrics_error", "");
    o.ready_for_ms = in.value("ready_for_ms", int64_t{0});
    o.not_ready_for_ms = in.value("not_ready_for_ms", int64_t{0});
    o.not_ready_restarts = in.value("not_ready_restarts", 0u);
    o.counters = BenthosCounters::from_json(in.value("counters", json::object()));
    o.last_minute = BenthosCounters::from_json(in.value("last_minute", json::object()));
    o.last_minute_ms = in.value("last_minute_ms", int64_t{0});
    o.in_window = BenthosCounters::from_json(in.value("in_window", json::object()));
    o.window_ms = in.value("window_ms", int64_t{0});
    o.last_error = in.value("last_error", "");
    return o;
}

}  // namespace benthos_plugin
