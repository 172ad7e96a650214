// SPDX-License-Identifier: Apache-2.0
// warden/kit/service_status.hpp — one s6 service's status as JSON, both ways.
//
// A worker's collect writes what it observed into its observed-state
// document, and every `next` reads it back; the service's status travels in
// that document. This is the one codec for it: every field of
// warden::ServiceStatus, under the names of warden_service_status, so a
// document written by one plugin version reads the same in the next and
// nothing is dropped on the way (readiness, finishing, ready_since_ns).
//
//     nlohmann::json doc;
//     doc["service"] = warden::kit::status_to_json(host.observe_service(name));
//     ...
//     warden::ServiceStatus s = warden::kit::status_from_json(doc["service"]);
//
// write_status writes the same object as text, for a document written with
// kit::JsonWriter (the kit's Observed::to_json).
//
// A key that is missing or of the wrong type reads as the field's zero value:
// a document from an older plugin, or none at all, reads as "no service".
// THREADING: pure functions; call from any thread.
#ifndef WARDEN_KIT_SERVICE_STATUS_HPP
#define WARDEN_KIT_SERVICE_STATUS_HPP

#include <warden/host.hpp>
#include <warden/kit/json_value.hpp>
#include <warden/kit/json_writer.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace warden::kit {

/// The status as a JSON object, one key per field.
inline nlohmann::json status_to_json(const ServiceStatus &s) {
    return {{"exists", s.exists},
            {"supervised", s.supervised},
            {"up", s.up},
            {"ready", s.ready},
            {"want_up", s.want_up},
            {"normally_up", s.normally_up},
            {"finishing", s.finishing},
            {"died", s.died},
            {"pid", s.pid},
            {"since_ns", s.since_ns},
            {"ready_since_ns", s.ready_since_ns},
            {"last_exit_code", s.last_exit_code},
            {"last_signal", s.last_signal},
            {"restart_count", s.restart_count}};
}

/// The same object written straight into `w`: the bytes status_to_json's
/// dump() gives (its keys in nlohmann's sorted order), without the tree.
inline void write_status(JsonWriter &w, const ServiceStatus &s) {
    w.begin_object()
        .key("died")
        .value(s.died)
        .key("exists")
        .value(s.exists)
        .key("finishing")
        .value(s.finishing)
        .key("last_exit_code")
        .value(s.last_exit_code)
        .key("last_signal")
        .value(s.last_signal)
        .key("normally_up")
        .value(s.normally_up)
        .key("pid")
        .value(s.pid)
        .key("ready")
        .value(s.ready)
        .key("ready_since_ns")
        .value(s.ready_since_ns)
        .key("restart_count")
        .value(s.restart_count)
        .key("since_ns")
        .value(s.since_ns)
        .key("supervised")
        .value(s.supervised)
        .key("up")
        .value(s.up)
        .key("want_up")
        .value(s.want_up)
        .end_object();
}

/// The status written by status_to_json; anything else reads as zero fields.
inline ServiceStatus status_from_json(const nlohmann::json &in) {
    ServiceStatus s;
    if (!in.is_object()) return s;
    s.exists = value_or(in, "exists", false);
    s.supervised = value_or(in, "supervised", false);
    s.up = value_or(in, "up", false);
    s.ready = value_or(in, "ready", false);
    s.want_up = value_or(in, "want_up", false);
    s.normally_up = value_or(in, "normally_up", false);
    s.finishing = value_or(in, "finishing", false);
    s.died = value_or(in, "died", false);
    s.pid = value_or(in, "pid", int64_t{0});
    s.since_ns = value_or(in, "since_ns", int64_t{0});
    s.ready_since_ns = value_or(in, "ready_since_ns", int64_t{0});
    s.last_exit_code = value_or(in, "last_exit_code", int32_t{0});
    s.last_signal = value_or(in, "last_signal", int32_t{0});
    s.restart_count = value_or(in, "restart_count", uint32_t{0});
    return s;
}

/// How the service's last process ended, as a person reads it: "exited with
/// code 1", "was killed by signal 9", "is down" (no process has ended).
/// Codes 126 and 127 are the shell's and execline's "could not run it".
inline std::string how_it_ended(const ServiceStatus &s) {
    if (!s.died) return "is down";
    if (s.last_signal != 0) return "was killed by signal " + std::to_string(s.last_signal);
    std::string text = "exited with code " + std::to_string(s.last_exit_code);
    if (s.last_exit_code == 126) text += " (the program cannot be executed)";
    if (s.last_exit_code == 127) text += " (the program was not found)";
    return text;
}

/// "1 restart", "3 restarts": s6's count of deaths since it began supervising.
inline std::string restarts_text(const ServiceStatus &s) {
    return std::to_string(s.restart_count) + (s.restart_count == 1 ? " restart" : " restarts");
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_SERVICE_STATUS_HPP
