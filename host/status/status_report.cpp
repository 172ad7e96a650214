// host/status/status_report.cpp
#include "status/status_report.hpp"

#include "plugins/worker_type_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace warden::host {
namespace {

using nlohmann::json;

json to_json(const WorkerReport &r) {
    const WorkerStatus &w = r.worker;
    json services = json::array();
    for (const ServiceView &s : r.services)
        services.push_back({{"name", s.name},
                            {"supervised", s.supervised},
                            {"up", s.up},
                            {"pid", s.pid},
                            {"since", s.since},
                            {"restarts", s.restarts}});
    return {{"type", w.type},
            {"name", w.name},
            {"state", w.state},
            {"phase", w.phase},
            {"reason", w.reason},
            {"state_since", w.state_since},
            {"state_changes", w.state_changes},
            {"desired_state", w.desired_state},
            {"shutdown_requested", w.shutdown_requested},
            {"observed_at", w.observed_at},
            {"stale", w.stale},
            {"observed", w.observed_json},
            {"collect_error", w.collect_error},
            {"collector_restarts", w.collector_restarts},
            {"action_running", w.action_running},
            {"last_action", w.last_action},
            {"last_action_status", w.last_action_status},
            {"last_action_error", w.last_action_error},
            {"last_action_finished", w.last_action_finished},
            {"action_failures", w.action_failures},
            {"action_retry_at", w.action_retry_at},
            {"failure", w.failure},
            {"failure_retry_at", w.failure_retry_at},
            {"services", services}};
}

WorkerReport from_json(const json &j) {
    WorkerReport r;
    WorkerStatus &w = r.worker;
    w.type = j.value("type", "");
    w.name = j.value("name", "");
    w.state = j.value("state", "");
    w.phase = j.value("phase", 0);
    w.reason = j.value("reason", "");
    w.state_since = j.value("state_since", int64_t{0});
    w.state_changes = j.value("state_changes", uint64_t{0});
    w.desired_state = j.value("desired_state", 0);
    w.shutdown_requested = j.value("shutdown_requested", false);
    w.observed_at = j.value("observed_at", int64_t{0});
    w.stale = j.value("stale", false);
    w.observed_json = j.value("observed", "");
    w.collect_error = j.value("collect_error", "");
    w.collector_restarts = j.value("collector_restarts", 0);
    w.action_running = j.value("action_running", "");
    w.last_action = j.value("last_action", "");
    w.last_action_status = j.value("last_action_status", 0);
    w.last_action_error = j.value("last_action_error", "");
    w.last_action_finished = j.value("last_action_finished", int64_t{0});
    w.action_failures = j.value("action_failures", 0);
    w.action_retry_at = j.value("action_retry_at", int64_t{0});
    w.failure = j.value("failure", "");
    w.failure_retry_at = j.value("failure_retry_at", int64_t{0});
    for (const json &s : j.value("services", json::array()))
        r.services.push_back(ServiceView{s.value("name", ""), s.value("supervised", false),
                                         s.value("up", false), s.value("pid", int64_t{0}),
                                         s.value("since", int64_t{0}),
                                         s.value("restarts", uint32_t{0})});
    return r;
}

std::string local_time(int64_t unix_ns) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ns / 1'000'000'000);
    std::tm tm{};
    ::localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

// "create_service ok", "start_service failed 3x, retry in 4s", "remove_service running".
std::string action_text(const WorkerStatus &w, int64_t now) {
    if (!w.action_running.empty()) return w.action_running + " running";
    if (w.last_action.empty()) return "-";
    if (w.last_action_status == WARDEN_OK) return w.last_action + " ok";
    std::string text = w.last_action + " failed";
    if (w.action_failures > 1) text += " " + std::to_string(w.action_failures) + "x";
    if (w.action_retry_at > now) text += ", retry in " + short_duration(w.action_retry_at - now);
    return text;
}

// The reason column: what is wrong first, then the plugin's reason.
std::string reason_text(const WorkerStatus &w, int64_t now) {
    std::string text;
    if (!w.failure.empty()) {
        text = "FAILED: " + w.failure;
        if (w.failure_retry_at > now)
            text += " (asked again in " + short_duration(w.failure_retry_at - now) + ")";
        return text;
    }
    if (w.stale) text = "STALE: no observation for " + short_duration(now - w.observed_at) + "; ";
    if (w.shutdown_requested) text += "shutting down; ";
    if (!w.last_action_error.empty() && w.action_running.empty())
        text += "last action: " + w.last_action_error + "; ";
    return text + w.reason;
}

const ServiceView *main_service(const WorkerReport &r) {
    const std::string own = r.worker.type + "-" + r.worker.name;
    for (const ServiceView &s : r.services)
        if (s.name == own) return &s;
    return r.services.empty() ? nullptr : &r.services.front();
}

}  // namespace

std::string short_duration(int64_t nanoseconds) {
    int64_t s = std::max<int64_t>(0, nanoseconds / 1'000'000'000);
    char text[32];
    if (s < 60)
        std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
    else if (s < 3600)
        std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    else if (s < 86400)
        std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600),
                      static_cast<long long>(s % 3600 / 60));
    else
        std::snprintf(text, sizeof text, "%lldd%02lldh", static_cast<long long>(s / 86400),
                      static_cast<long long>(s % 86400 / 3600));
    return text;
}

std::string encode_report(const HostReport &host, const std::vector<WorkerReport> &workers) {
    std::string out = json{{"host",
                            {{"pid", host.pid},
                             {"started", host.started},
                             {"config_file", host.config_file},
                             {"config_loaded", host.config_loaded}}}}
                          .dump(-1, ' ', false, json::error_handler_t::replace) +
                      "\n";
    // A plugin's reason may hold any bytes: invalid UTF-8 becomes U+FFFD.
    for (const WorkerReport &r : workers)
        out += to_json(r).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    return out;
}

bool decode_report(const std::string &text, HostReport &host, std::vector<WorkerReport> &workers) {
    std::istringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (!j.is_object()) return false;
        if (first) {
            if (!j.contains("host") || !j["host"].is_object()) return false;
            const json &h = j["host"];
            host.pid = h.value("pid", int64_t{0});
            host.started = h.value("started", int64_t{0});
            host.config_file = h.value("config_file", "");
            host.config_loaded = h.value("config_loaded", int64_t{0});
            first = false;
            continue;
        }
        workers.push_back(from_json(j));
    }
    return !first;
}

std::string format_table(const HostReport &host, const std::vector<WorkerReport> &workers,
                         int64_t now) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back(
        {"TYPE", "NAME", "STATE", "PHASE", "SINCE", "LAST ACTION", "PID", "UPTIME", "REASON"});
    for (const WorkerReport &r : workers) {
        const WorkerStatus &w = r.worker;
        const ServiceView *s = main_service(r);
        const bool up = s != nullptr && s->up && s->supervised;
        rows.push_back({w.type, w.name, w.state, std::string(phase_name(w.phase)),
                        w.state_since ? local_time(w.state_since) : "-", action_text(w, now),
                        up ? std::to_string(s->pid) : "-",
                        up ? short_duration(now - s->since) : "-", reason_text(w, now)});
    }
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto &row : rows)
        for (std::size_t i = 0; i + 1 < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    std::string out =
        "warden pid " + std::to_string(host.pid) + ", up " + short_duration(now - host.started) +
        ", config " + host.config_file + " (loaded " + local_time(host.config_loaded) + "), " +
        std::to_string(workers.size()) + (workers.size() == 1 ? " worker\n" : " workers\n");
    for (const auto &row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) out += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out += '\n';
    }
    return out;
}

}  // namespace warden::host
