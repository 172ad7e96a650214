// SPDX-License-Identifier: Apache-2.0
// redpanda_states.cpp — how a `redpanda` worker judges a broker that runs:
// the kit's decisions, with Redpanda's storage alerts, partitions, traffic
// and cluster config.
#include "redpanda_states.hpp"

#include "redpanda_worker.hpp"

#include <cstdio>
#include <optional>
#include <string>

namespace redpanda_plugin {
namespace {

using warden::Decision;
using View = warden::kit::View<RedpandaWorker>;
using Starting = warden::kit::Starting<RedpandaWorker>;
using Degraded = warden::kit::Degraded<RedpandaWorker>;

// A version the broker accepted but does not show after this long is
// trouble, not a wait.
constexpr int64_t kApplyWaitMs = 30'000;

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

bool running(const warden::Snapshot &s) {
    return s.state() == Idle::name || s.state() == Active::name;
}

// The broker was restarted for its cluster config since the worker entered
// this state, and the old process has gone: it is starting again.
bool restarted_for_config(const warden::Snapshot &s) {
    return s.last_action() == RestartForConfig::name && s.last_action_status() == WARDEN_OK &&
           s.last_action_finished_ns() > 0 &&
           s.now_ns() - s.last_action_finished_ns() < s.time_in_state_ns();
}

// Idle and active: while the broker restarts for its cluster config, that
// restart is not a death; once its process is new, it is starting again.
Decision next_running(const warden::Snapshot &s) {
    if (s.should_run() && s.last_action() == RestartForConfig::name) {
        const View v = View::read(s);
        const RedpandaFacts f = facts_of(v);
        if (f.restarting != 0)
            return warden::stay(
                "restarting the broker in place for its cluster config; waiting "
                "for process " +
                std::to_string(f.restarting) + " to stop");
        if (restarted_for_config(s))
            return warden::transition<Starting>(
                "broker restarted in place for its cluster config; waiting for it to be ready");
    }
    return warden::kit::decide<RedpandaWorker>::running(s);
}

// What the cluster config needs before the broker counts as running;
// nothing when it is as the YAML asks. A restart Redpanda asks for is made
// from idle or active (starting goes there first), once per version.
std::optional<Decision> cluster_step(const View &v, const ClusterFacts &c) {
    const warden::Snapshot &s = v.snapshot;
    // Restarted once for this version already: Redpanda's word is not taken
    // twice (the health text says a restart still waits).
    if (c.restart && c.version != c.restarted_version) {
        if (!running(s)) return std::nullopt;
        return warden::action<RestartForConfig>(
            "cluster config version " + std::to_string(c.version) +
            " changed a property that needs a restart; restarting the broker in place");
    }
    if (c.pending())
        return warden::stay("cluster config version " + std::to_string(c.sent_version) +
                            " sent; waiting for the broker to apply it (it shows version " +
                            std::to_string(c.version) + ")");
    if (!c.in_sync()) {
        if (s.last_action() == ConfigureCluster::name && s.last_action_status() != WARDEN_OK)
            return warden::action<ConfigureCluster>("sending the cluster config again: " +
                                                    std::string(s.last_action_error()));
        std::string what = joined(c.differ);
        if (!c.stale.empty())
            what += (what.empty() ? "" : "; ") + ("no longer set: " + joined(c.stale));
        return warden::action<ConfigureCluster>("cluster properties differ (" + what +
                                                "); sending the difference");
    }
    if (c.unrecorded)
        return warden::action<ConfigureCluster>(
            "cluster config as the YAML asks; recording the properties the worker keeps");
    return std::nullopt;
}

}  // namespace

Decision Idle::next(const warden::Snapshot &s) const {
    return next_running(s);
}

Decision Active::next(const warden::Snapshot &s) const {
    return next_running(s);
}

// What is wrong with a broker that is up and ready, worst first; each
// reason says what to do.
std::string RedpandaWorker::trouble(const View &v) {
    const RedpandaFacts f = facts_of(v);
    const ClusterFacts &c = f.cluster;
    const BrokerMetrics &m = f.metrics;
    if (!c.refused.empty())
        return "Redpanda refused the cluster config: " + c.refused +
               "; nothing of that change was applied and the broker keeps " +
               (c.version >= 0 ? "cluster config version " + std::to_string(c.version)
                               : std::string("its previous values")) +
               "; fix `cluster:` in the worker's config";
    if (!f.metrics_read)
        return "cannot read /public_metrics (" + f.metrics_error +
               "), so the broker's disk space and partitions cannot be judged; check the "
               "broker's log and its admin API";
    if (!m.problem.empty())
        return "/public_metrics is not what a broker serves (" + m.problem +
               "), so the broker's disk space and partitions cannot be judged";
    if (m.free_space_alert != 0)
        return std::string("storage space alert (") +
               (m.free_space_alert == 1 ? "low space" : "degraded: producing is refused") +
               "): " + bytes_text(m.disk_free_bytes) + " free of " +
               bytes_text(m.disk_total_bytes) +
               "; free disk space, or lower retention (cluster log_retention_ms, "
               "retention_bytes)";
    if (m.unavailable_partitions > 0)
        return std::to_string(m.unavailable_partitions) +
               " partitions unavailable (without quorum); see the broker's log";
    if (!c.error.empty())
        return "cannot read the cluster config: " + c.error +
               "; check the broker's log and its admin API";
    if (c.pending() && c.sent_for_ms >= kApplyWaitMs)
        return "Redpanda accepted cluster config version " + std::to_string(c.sent_version) + " " +
               warden::kit::seconds_text(c.sent_for_ms) + " ago but still shows version " +
               std::to_string(c.version) + "; see the broker's log";
    if (c.not_taken())
        return "Redpanda accepted cluster config version " + std::to_string(c.sent_version) +
               " but shows other values for " + joined(c.differ) +
               "; it keeps some values in a form of its own (a list as a set, a policy "
               "reordered): write them in `cluster:` as GET /v1/cluster_config shows them";
    return {};
}

std::string RedpandaWorker::health_text(const View &v) {
    const RedpandaFacts f = facts_of(v);
    std::string text = warden::kit::decide<RedpandaWorker>::up_text(v);
    if (!f.metrics.version.empty()) text += "; Redpanda " + f.metrics.version;
    if (f.metrics_read)
        text += "; " + std::to_string(f.metrics.topics) +
                (f.metrics.topics == 1 ? " topic" : " topics") + "; produce " +
                rate(f.window_produced, f.window_ms) + ", consume " +
                rate(f.window_consumed, f.window_ms) + " over the last " +
                warden::kit::seconds_text(f.window_ms);
    if (f.cluster.version >= 0)
        text += "; cluster config version " + std::to_string(f.cluster.version);
    return text;
}

// Healthy once the cluster config is as the YAML asks: send what differs,
// wait for the broker to show the version sent, restart it when Redpanda
// says a change needs that (from idle or active only, so the restart is
// seen as one). Then idle or active by the window's traffic. Starting has
// its deadline for all of it; degraded tries again from here.
Decision RedpandaWorker::healthy(const View &v, std::string reason) {
    const warden::Snapshot &s = v.snapshot;
    // Starting asks without asking trouble() first.
    if (std::string problem = trouble(v); !problem.empty()) {
        if (s.state() == Degraded::name) return warden::stay(std::move(problem));
        return warden::transition<Degraded>(std::move(problem));
    }
    const RedpandaFacts f = facts_of(v);
    if (std::optional<Decision> step = cluster_step(v, f.cluster)) {
        if (s.state() == Starting::name &&
            s.time_in_state_ns() >= int64_t{v.plan.start_grace_ms} * 1'000'000)
            return warden::transition<Degraded>(std::string(step->reason()) +
                                                " (past the start deadline)");
        return *step;
    }
    if (f.cluster.restart) reason += "; a cluster property waits for a restart";
    const bool active = f.window_produced + f.window_consumed > 0;
    const std::string_view target = active ? Active::name : Idle::name;
    if (s.state() == target) return warden::stay(std::move(reason));
    return active ? warden::transition<Active>(std::move(reason))
                  : warden::transition<Idle>(std::move(reason));
}

}  // namespace redpanda_plugin
