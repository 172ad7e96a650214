// SPDX-License-Identifier: Apache-2.0
// host/status/status_report.cpp
#include "status/status_report.hpp"

#include "plugins/worker_type_info.hpp"

#include <nlohmann/json.hpp>

#include <warden/host_rules.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <limits>
#include <sstream>
#include <type_traits>

namespace warden::host {
namespace {

using nlohmann::json;

// One field of a report line into `out`: an absent key keeps the default,
// a key of another type makes the line no report. Integers must fit their
// field: json::value would throw on a wrong type, and converting a float or
// an integer out of range is undefined or silently wrong.
bool read_field(const json &object, const char *key, std::string &out) {
    const auto found = object.find(key);
    if (found == object.end()) return true;
    if (!found->is_string()) return false;
    out = found->get<std::string>();
    return true;
}

bool read_field(const json &object, const char *key, bool &out) {
    const auto found = object.find(key);
    if (found == object.end()) return true;
    if (!found->is_boolean()) return false;
    out = found->get<bool>();
    return true;
}

template <typename Integer>
bool read_field(const json &object, const char *key, Integer &out) {
    static_assert(std::is_integral_v<Integer>);
    using Limits = std::numeric_limits<Integer>;
    const auto found = object.find(key);
    if (found == object.end()) return true;
    if (found->is_number_unsigned()) {
        const uint64_t value = found->get<uint64_t>();
        if (value > static_cast<uint64_t>(Limits::max())) return false;
        out = static_cast<Integer>(value);
        return true;
    }
    if (found->is_number_integer()) {
        const int64_t value = found->get<int64_t>();
        if (value < 0 && !Limits::is_signed) return false;
        if (Limits::is_signed && (value < static_cast<int64_t>(Limits::min()) ||
                                  value > static_cast<int64_t>(Limits::max())))
            return false;
        out = static_cast<Integer>(value);
        return true;
    }
    return false;
}

bool read_service(const json &j, ServiceView &s) {
    return j.is_object() && read_field(j, "name", s.name) &&
           read_field(j, "supervised", s.supervised) && read_field(j, "up", s.up) &&
           read_field(j, "ready", s.ready) && read_field(j, "pid", s.pid) &&
           read_field(j, "since", s.since) && read_field(j, "restarts", s.restarts);
}

bool read_worker(const json &j, WorkerReport &r) {
    WorkerStatus &w = r.worker;
    const bool fields =
        read_field(j, "type", w.type) && read_field(j, "name", w.name) &&
        read_field(j, "state", w.state) && read_field(j, "phase", w.phase) &&
        read_field(j, "reason", w.reason) && read_field(j, "state_since", w.state_since) &&
        read_field(j, "state_changes", w.state_changes) &&
        read_field(j, "desired_state", w.desired_state) &&
        read_field(j, "shutdown_requested", w.shutdown_requested) &&
        read_field(j, "observed_at", w.observed_at) && read_field(j, "stale", w.stale) &&
        read_field(j, "observed", w.observed_json) &&
        read_field(j, "collect_error", w.collect_error) &&
        read_field(j, "collector_restarts", w.collector_restarts) &&
        read_field(j, "action_running", w.action_running) &&
        read_field(j, "last_action", w.last_action) &&
        read_field(j, "last_action_status", w.last_action_status) &&
        read_field(j, "last_action_error", w.last_action_error) &&
        read_field(j, "last_action_finished", w.last_action_finished) &&
        read_field(j, "action_failures", w.action_failures) &&
        read_field(j, "action_retry_at", w.action_retry_at) &&
        read_field(j, "failure", w.failure) &&
        read_field(j, "failure_retry_at", w.failure_retry_at);
    if (!fields) return false;
    const auto services = j.find("services");
    if (services == j.end()) return true;
    if (!services->is_array()) return false;
    for (const json &s : *services)
        if (!read_service(s, r.services.emplace_back())) return false;
    return true;
}

// `to - from`, saturated: the times come from another process and may be
// anything.
int64_t span(int64_t from, int64_t to) {
    int64_t difference = 0;
    if (__builtin_sub_overflow(to, from, &difference))
        return from < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
    return difference;
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
    if (w.action_retry_at > now)
        text += ", retry in " + short_duration(span(now, w.action_retry_at));
    return text;
}

// The reason column: what is wrong first, then the plugin's reason.
std::string reason_text(const WorkerStatus &w, int64_t now) {
    std::string text;
    if (!w.failure.empty()) {
        text = "FAILED: " + w.failure;
        if (w.failure_retry_at > now)
            text += " (asked again in " + short_duration(span(now, w.failure_retry_at)) + ")";
        return text;
    }
    if (w.stale)
        text = "STALE: no observation for " + short_duration(span(w.observed_at, now)) + "; ";
    if (w.shutdown_requested) text += "shutting down; ";
    if (!w.last_action_error.empty() && w.action_running.empty())
        text += "last action: " + w.last_action_error + "; ";
    return text + w.reason;
}

}  // namespace

const ServiceView *main_service(const WorkerReport &r) {
    const std::string own = r.worker.type + "-" + r.worker.name;
    for (const ServiceView &s : r.services)
        if (s.name == own) return &s;
    return r.services.empty() ? nullptr : &r.services.front();
}

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

namespace {

// One report line written straight as text: the bytes an nlohmann object of
// the same fields dumps (its keys in their sorted order), without building it.
// A plugin's reason, like any text here, may hold any bytes: invalid UTF-8
// becomes U+FFFD (rules::append_json_string).
class LineWriter {
public:
    explicit LineWriter(std::string &out) : out_(out) {}
    LineWriter &open() {
        out_.push_back('{');
        first_ = true;
        return *this;
    }
    LineWriter &close() {
        out_.push_back('}');
        first_ = false;
        return *this;
    }
    LineWriter &key(std::string_view name) {
        if (!first_) out_.push_back(',');
        first_ = false;
        rules::append_json_string(out_, name);
        out_.push_back(':');
        return *this;
    }
    LineWriter &field(std::string_view name, std::string_view text) {
        key(name);
        rules::append_json_string(out_, text);
        return *this;
    }
    LineWriter &field(std::string_view name, bool flag) {
        key(name);
        out_.append(flag ? "true" : "false");
        return *this;
    }
    template <typename Integer>
    LineWriter &number(std::string_view name, Integer value) {
        static_assert(std::is_integral_v<Integer>);
        key(name);
        char digits[24];
        out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
        return *this;
    }

private:
    std::string &out_;
    bool first_ = true;
};

void write_services(std::string &out, const std::vector<ServiceView> &services) {
    out.push_back('[');
    for (std::size_t i = 0; i < services.size(); ++i) {
        const ServiceView &s = services[i];
        if (i > 0) out.push_back(',');
        LineWriter(out)
            .open()
            .field("name", s.name)
            .number("pid", s.pid)
            .field("ready", s.ready)
            .number("restarts", s.restarts)
            .number("since", s.since)
            .field("supervised", s.supervised)
            .field("up", s.up)
            .close();
    }
    out.push_back(']');
}

void write_worker(std::string &out, const WorkerReport &r) {
    const WorkerStatus &w = r.worker;
    LineWriter line(out);
    line.open()
        .number("action_failures", w.action_failures)
        .number("action_retry_at", w.action_retry_at)
        .field("action_running", w.action_running)
        .field("collect_error", w.collect_error)
        .number("collector_restarts", w.collector_restarts)
        .number("desired_state", w.desired_state)
        .field("failure", w.failure)
        .number("failure_retry_at", w.failure_retry_at)
        .field("last_action", w.last_action)
        .field("last_action_error", w.last_action_error)
        .number("last_action_finished", w.last_action_finished)
        .number("last_action_status", w.last_action_status)
        .field("name", w.name)
        .field("observed", w.observed_json)
        .number("observed_at", w.observed_at)
        .number("phase", w.phase)
        .field("reason", w.reason)
        .key("services");
    write_services(out, r.services);
    line.field("shutdown_requested", w.shutdown_requested)
        .field("stale", w.stale)
        .field("state", w.state)
        .number("state_changes", w.state_changes)
        .number("state_since", w.state_since)
        .field("type", w.type)
        .close();
    out.push_back('\n');
}

}  // namespace

std::string encode_report(const HostReport &host, const std::vector<WorkerReport> &workers) {
    std::string out;
    // About what a settled worker's line takes, its observed document the most.
    std::size_t expected = 256;
    for (const WorkerReport &r : workers)
        expected += 640 + r.worker.observed_json.size() * 5 / 4 + r.worker.reason.size();
    out.reserve(expected);
    LineWriter(out)
        .open()
        .key("host")
        .open()
        .field("config_file", host.config_file)
        .number("config_loaded", host.config_loaded)
        .number("pid", host.pid)
        .number("started", host.started)
        .close()
        .close();
    out.push_back('\n');
    for (const WorkerReport &r : workers) write_worker(out, r);
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
            const auto h = j.find("host");
            if (h == j.end() || !h->is_object()) return false;
            if (!read_field(*h, "pid", host.pid) || !read_field(*h, "started", host.started) ||
                !read_field(*h, "config_file", host.config_file) ||
                !read_field(*h, "config_loaded", host.config_loaded))
                return false;
            first = false;
            continue;
        }
        if (!read_worker(j, workers.emplace_back())) return false;
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
                        up ? short_duration(span(s->since, now)) : "-", reason_text(w, now)});
    }
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto &row : rows)
        for (std::size_t i = 0; i + 1 < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    std::string out = "warden pid " + std::to_string(host.pid) + ", up " +
                      short_duration(span(host.started, now)) + ", config " + host.config_file +
                      " (loaded " + local_time(host.config_loaded) + "), " +
                      std::to_string(workers.size()) +
                      (workers.size() == 1 ? " worker\n" : " workers\n");
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
