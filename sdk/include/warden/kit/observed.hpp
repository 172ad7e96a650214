// SPDX-License-Identifier: Apache-2.0
// warden/kit/observed.hpp — the kit's part of a worker's observed state.
//
// collect writes an Observed and every `next` reads it back from the
// snapshot. It holds facts only: each service's s6 status and for how long
// it has been up or down, the fingerprint last deployed, the newest config
// check, readiness and its clocks, restarts for not being ready, a crash
// loop, and the program's newest error line. A worker adds its own facts
// under `extra` (a JSON object); the states judge.
//
//     Observed o = worker.observe(snapshot, plan);  // warden/kit/service_worker.hpp
//     o.extra["http_port"] = port;
//     return worker.written(std::move(o));  // o.to_json(), kept for the decision on it
//     ...
//     Observed back = Observed::from_json(snapshot.observed_json());
//
// THREADING: a plain value.
#ifndef WARDEN_KIT_OBSERVED_HPP
#define WARDEN_KIT_OBSERVED_HPP

#include <warden/kit/json_value.hpp>
#include <warden/kit/json_writer.hpp>
#include <warden/kit/service_status.hpp>
#include <warden/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::kit {

/// What a program's own config check said of one deployment.
struct CheckVerdict {
    std::string fingerprint;  ///< of the plan checked; "" = nothing checked yet
    bool passed = false;
    std::string message;  ///< why it failed, in the check's own words
};

/// One service, as a collect saw it.
struct ObservedService {
    std::string name;
    ServiceStatus status;
    int64_t up_for_ms = 0;    ///< how long its process has been up; 0 when down
    int64_t down_for_ms = 0;  ///< how long it has been down; 0 when up or never started
};

struct Observed {
    std::vector<ObservedService> services;  ///< the plan's, in its order
    std::string deployed;                   ///< fingerprint of the plan last deployed; "" = none
    CheckVerdict check;                     ///< the newest config check

    bool ready = false;               ///< every service up and ready (or its probe says so)
    std::string not_ready;            ///< why not, when up
    int64_t ready_for_ms = 0;         ///< ready without a break for this long
    int64_t not_ready_for_ms = 0;     ///< up but not ready without a break for this long
    uint32_t not_ready_restarts = 0;  ///< restarts for that, in a row
    std::string crash_loop;           ///< "" or "5 exits in the last 60 s"
    std::string last_error;           ///< the program's newest error line, when read

    nlohmann::json extra = nlohmann::json::object();  ///< the worker's own facts

    /// The service named `name`; nullptr when this observation has none.
    const ObservedService *find(std::string_view name) const {
        for (const ObservedService &s : services)
            if (s.name == name) return &s;
        return nullptr;
    }

    /// The document, written straight as text (kit::JsonWriter): the bytes
    /// an nlohmann::json of the same keys would dump, without building one.
    /// Texts from services may hold any bytes: invalid UTF-8 is replaced,
    /// never thrown.
    std::string to_json() const {
        std::string out;
        out.reserve(512 + 384 * services.size());
        JsonWriter w(out);
        w.begin_object();
        w.key("check")
            .begin_object()
            .key("fingerprint")
            .value(check.fingerprint)
            .key("message")
            .value(check.message)
            .key("passed")
            .value(check.passed)
            .end_object();
        w.key("crash_loop").value(crash_loop);
        w.key("deployed").value(deployed);
        w.key("extra").value(extra);
        w.key("last_error").value(last_error);
        w.key("not_ready").value(not_ready);
        w.key("not_ready_for_ms").value(not_ready_for_ms);
        w.key("not_ready_restarts").value(not_ready_restarts);
        w.key("ready").value(ready);
        w.key("ready_for_ms").value(ready_for_ms);
        w.key("services").begin_array();
        for (const ObservedService &s : services) {
            w.begin_object().key("down_for_ms").value(s.down_for_ms).key("name").value(s.name);
            w.key("status");
            write_status(w, s.status);
            w.key("up_for_ms").value(s.up_for_ms).end_object();
        }
        w.end_array().end_object();
        return out;
    }

    /// Before the first collect there is no document: that reads as "nothing
    /// exists yet". A document that is not a JSON object throws.
    static Observed from_json(std::string_view text) {
        Observed o;
        if (text.empty()) return o;
        const nlohmann::json in = parse_object(text, "observed state");
        if (const auto it = in.find("services"); it != in.end() && it->is_array()) {
            for (const auto &s : *it) {
                if (!s.is_object()) continue;
                ObservedService one;
                one.name = value_or(s, "name", std::string());
                if (const auto st = s.find("status"); st != s.end())
                    one.status = status_from_json(*st);
                one.up_for_ms = value_or(s, "up_for_ms", int64_t{0});
                one.down_for_ms = value_or(s, "down_for_ms", int64_t{0});
                o.services.push_back(std::move(one));
            }
        }
        o.deployed = value_or(in, "deployed", std::string());
        if (const auto it = in.find("check"); it != in.end() && it->is_object()) {
            o.check.fingerprint = value_or(*it, "fingerprint", std::string());
            o.check.passed = value_or(*it, "passed", false);
            o.check.message = value_or(*it, "message", std::string());
        }
        o.ready = value_or(in, "ready", false);
        o.not_ready = value_or(in, "not_ready", std::string());
        o.ready_for_ms = value_or(in, "ready_for_ms", int64_t{0});
        o.not_ready_for_ms = value_or(in, "not_ready_for_ms", int64_t{0});
        o.not_ready_restarts = value_or(in, "not_ready_restarts", uint32_t{0});
        o.crash_loop = value_or(in, "crash_loop", std::string());
        o.last_error = value_or(in, "last_error", std::string());
        if (const auto it = in.find("extra"); it != in.end() && it->is_object()) o.extra = *it;
        return o;
    }
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_OBSERVED_HPP
