// redpanda_states.cpp — how a `redpanda` worker judges a broker that runs:
// the kit's decisions, with Redpanda's storage alerts, partitions, traffic
// and cluster config.
#include "redpanda_states.hpp"

#include "redpanda_worker.hpp"

#include <cstdio>
#include <string>

namespace redpanda_plugin {
namespace {

using warden::Decision;
using View = warden::kit::View<RedpandaWorker>;

RedpandaFacts facts_of(const View &v) {
    return RedpandaFacts::from_json(v.observed.extra);
}

std::string bytes_text(double bytes) {
    static constexpr const char *kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 5) {
        bytes /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
    return text;
}

std::string rate(double bytes, int64_t covered_ms) {
    return bytes_text(covered_ms <= 0 ? 0 : bytes * 1000.0 / static_cast<double>(covered_ms)) +
           "/s";
}

std::string list(const std::vector<std::string> &names) {
    std::string out;
    for (const std::string &name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

// Whether the broker was restarted for its cluster config since the worker
// entered this state: it is starting again, not healthy.
bool restarted_for_config(const warden::Snapshot &s) {
    return s.last_action() == RestartForConfig::name && s.last_action_finished_ns() > 0 &&
           s.now_ns() - s.last_action_finished_ns() < s.time_in_state_ns();
}

Decision running(const warden::Snapshot &s) {
    if (s.should_run() && restarted_for_config(s))
        return warden::transition<warden::kit::Starting<RedpandaWorker>>(
            "broker restarted in place for its cluster config; waiting for it to be ready");
    return warden::kit::decide<RedpandaWorker>::running(s);
}

}  // namespace

Decision Idle::next(const warden::Snapshot &s) const {
    return running(s);
}

Decision Active::next(const warden::Snapshot &s) const {
    return running(s);
}

// What is wrong with a broker that is up and ready, worst first; each
// reason says what to do.
std::string RedpandaWorker::trouble(const View &v) {
    const RedpandaFacts f = facts_of(v);
    const ClusterFacts &c = f.cluster;
    if (!c.refused.empty())
        return "Redpanda refused the cluster config: " + c.refused +
               "; nothing of that change was applied and the broker keeps " +
               (c.version >= 0 ? "cluster config version " + std::to_string(c.version)
                               : std::string("its previous values")) +
               "; fix `cluster:` in the worker's config";
    if (f.metrics.free_space_alert != 0)
        return std::string("storage space alert (") +
               (f.metrics.free_space_alert == 1 ? "low space" : "degraded: producing is refused") +
               "): " + bytes_text(f.metrics.disk_free_bytes) + " free of " +
               bytes_text(f.metrics.disk_total_bytes) +
               "; free disk space, or lower retention (cluster log_retention_ms, "
               "retention_bytes)";
    if (f.metrics.unavailable_partitions > 0)
        return std::to_string(f.metrics.unavailable_partitions) +
               " partitions unavailable (without quorum); see the broker's log";
    if (!c.error.empty()) return "cannot read the cluster config: " + c.error;
    return {};
}

std::string RedpandaWorker::health_text(const View &v) {
    const RedpandaFacts f = facts_of(v);
    std::string text = warden::kit::decide<RedpandaWorker>::up_text(v);
    if (!f.metrics.version.empty()) text += "; Redpanda " + f.metrics.version;
    if (f.metrics_read) {
        text += "; " + std::to_string(f.metrics.topics) +
                (f.metrics.topics == 1 ? " topic" : " topics") + "; produce " +
                rate(f.window_produced, f.window_ms) + ", consume " +
                rate(f.window_consumed, f.window_ms) + " over the last " +
                warden::kit::seconds_text(f.window_ms);
    } else if (!f.metrics_error.empty()) {
        text += "; no metrics: " + f.metrics_error;
    }
    if (f.cluster.version >= 0)
        text += "; cluster config version " + std::to_string(f.cluster.version);
    return text;
}

// Healthy once the cluster config is as the YAML asks: send what differs,
// wait for the broker to show the version sent, restart it when Redpanda
// says a change needs that (from idle or active only, so the restart is
// seen as one). Then idle or active by the window's traffic.
Decision RedpandaWorker::healthy(const View &v, std::string reason) {
    const warden::Snapshot &s = v.snapshot;
    // Starting and degraded ask without asking trouble() first.
    if (std::string problem = trouble(v); !problem.empty()) {
        if (s.state() == warden::kit::Degraded<RedpandaWorker>::name)
            return warden::stay(std::move(problem));
        return warden::transition<warden::kit::Degraded<RedpandaWorker>>(std::move(problem));
    }
    const RedpandaFacts f = facts_of(v);
    const ClusterFacts &c = f.cluster;
    const bool active = f.window_produced + f.window_consumed > 0;
    const std::string_view target = active ? Active::name : Idle::name;
    const bool running = s.state() == Idle::name || s.state() == Active::name;
    if (c.restart && running)
        return warden::action<RestartForConfig>(
            "cluster config version " + std::to_string(c.version) +
            " changed a property that needs a restart; restarting the broker in place");
    if (c.sent_version >= 0 && c.version < c.sent_version)
        return warden::stay("cluster config version " + std::to_string(c.sent_version) +
                            " sent; waiting for the broker to apply it (it shows version " +
                            std::to_string(c.version) + ")");
    if (!c.restart && !c.in_sync()) {
        if (s.last_action() == ConfigureCluster::name && s.last_action_status() != WARDEN_OK)
            return warden::action<ConfigureCluster>("sending the cluster config again: " +
                                                    std::string(s.last_action_error()));
        std::string what = list(c.differ);
        if (!c.stale.empty())
            what += (what.empty() ? "" : "; ") + ("no longer set: " + list(c.stale));
        return warden::action<ConfigureCluster>("cluster properties differ (" + what +
                                                "); sending the difference");
    }
    if (c.restart) reason += "; a cluster property waits for a restart";
    if (s.state() == target) return warden::stay(std::move(reason));
    return active ? warden::transition<Active>(std::move(reason))
                  : warden::transition<Idle>(std::move(reason));
}

}  // namespace redpanda_plugin
