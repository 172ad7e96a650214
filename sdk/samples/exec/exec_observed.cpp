// exec_observed.cpp — the observed document, to JSON and back.
#include "exec_observed.hpp"

#include <nlohmann/json.hpp>

namespace exec_sample {

using nlohmann::json;

// to_json names every field of the service status, so `warden --status` (and
// a person reading the host's documents) sees the raw facts behind a state.
std::string ExecObserved::to_json() const {
    const warden::ServiceStatus &s = service;
    json out = {{"service",
                 {{"exists", s.exists},
                  {"supervised", s.supervised},
                  {"up", s.up},
                  {"ready", s.ready},
                  {"want_up", s.want_up},
                  {"normally_up", s.normally_up},
                  {"died", s.died},
                  {"pid", s.pid},
                  {"since_ns", s.since_ns},
                  {"last_exit_code", s.last_exit_code},
                  {"last_signal", s.last_signal},
                  {"restart_count", s.restart_count}}},
                {"up_for_ms", up_for_ms},
                {"down_for_ms", down_for_ms},
                {"deployed", deployed}};
    return out.dump();
}

// from_json reads what to_json wrote. Before the first collect the snapshot
// holds no observation at all; that reads as "nothing exists yet".
ExecObserved ExecObserved::from_json(std::string_view observed_json) {
    ExecObserved o;
    if (observed_json.empty()) return o;
    const json in = json::parse(observed_json, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object())
        throw warden::Error(WARDEN_ERR_INVALID_ARGUMENT, "observed state: not a JSON object");
    const json s = in.value("service", json::object());
    o.service.exists = s.value("exists", false);
    o.service.supervised = s.value("supervised", false);
    o.service.up = s.value("up", false);
    o.service.ready = s.value("ready", false);
    o.service.want_up = s.value("want_up", false);
    o.service.normally_up = s.value("normally_up", false);
    o.service.died = s.value("died", false);
    o.service.pid = s.value("pid", int64_t{0});
    o.service.since_ns = s.value("since_ns", int64_t{0});
    o.service.last_exit_code = s.value("last_exit_code", 0);
    o.service.last_signal = s.value("last_signal", 0);
    o.service.restart_count = s.value("restart_count", 0u);
    o.up_for_ms = in.value("up_for_ms", int64_t{0});
    o.down_for_ms = in.value("down_for_ms", int64_t{0});
    o.deployed = in.value("deployed", "");
    return o;
}

}  // namespace exec_sample
