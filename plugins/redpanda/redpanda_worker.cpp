// SPDX-License-Identifier: Apache-2.0
// redpanda_worker.cpp — deriving, planning and observing a Redpanda broker.
#include "redpanda_worker.hpp"

#include "data_dir.hpp"
#include "redpanda_log.hpp"
#include "redpanda_render.hpp"

#include <warden/kit/json_value.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <utility>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

constexpr int64_t kMs = 1'000'000;
// Each probe is a loopback request to a broker that answers in well under a
// millisecond; one that takes longer than this is as good as no answer.
constexpr uint32_t kProbeTimeoutMs = 1'000;
// Enough lines to find Redpanda's fatal line behind its startup lines.
constexpr uint32_t kLogLinesRead = 400;
// Admin requests that fail this many times in a row (about as many
// seconds) make the cluster config unreadable; fewer are a blip.
constexpr int kClusterErrorsTolerated = 3;
// A broker whose config is as wanted, with nothing sent or waiting for a
// restart, has its config status read again after this long: a change made
// by other means (rpk) shows within it.
constexpr int64_t kSettledStatusNs = 10'000 * kMs;

// Worth Redpanda's own words from its log: it died, is not ready, or came
// back from a death within the last minute. A broker that has run well for
// a while is not read every second.
bool something_wrong(const warden::kit::Observed &o) {
    if (o.services.empty() || !o.services[0].status.exists) return false;
    const warden::kit::ObservedService &s = o.services[0];
    if (!s.status.up) return s.status.died;
    return !o.ready || (s.status.died && s.up_for_ms < 60'000);
}

// A name as Redpanda's properties are named; the record is a file anyone
// with access to the data directory could edit.
bool is_property_name(const std::string &name) {
    return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::vector<std::string> sorted(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

RedpandaWorker::RedpandaWorker(const warden::WorkerContext &context)
    : ServiceWorker(context), window_(60'000 * kMs), figures_(host()) {}

std::string RedpandaWorker::derive_desired(const warden::Host &, const warden::Identity &identity,
                                           std::string_view config_json) {
    return RedpandaConfig::from_config(identity, config_json).to_json();
}

// --check-config calls this with no worker made, and the host keeps none of
// the ports it reserves here; two workers of one file asking for the same
// port still conflict, as do a worker's own three.
void RedpandaWorker::check_config(const warden::Host &host, const warden::Identity &,
                                  std::string_view desired_json, const warden::Cancel &) {
    const RedpandaConfig config = RedpandaConfig::from_json(desired_json);
    host.reserve_port("kafka", config.kafka_port);
    host.reserve_port("admin", config.admin_port);
    host.reserve_port("rpc", config.rpc_port);
    config.run_as.check(host);
    if (::access(config.binary.c_str(), X_OK) != 0)
        throw warden::ConfigError("binary: " + config.binary +
                                  " is not an executable file (install Redpanda, or set `binary` "
                                  "to where its redpanda is)");
}

warden::kit::Plan RedpandaWorker::plan(const warden::Snapshot &snapshot,
                                       const warden::kit::Observed &observed) {
    const RedpandaConfig config = RedpandaConfig::from_json(snapshot.desired_json());
    using warden::kit::value_or;
    Ports ports;
    ports.kafka = value_or(observed.extra, "kafka_port", uint32_t{0});
    ports.admin = value_or(observed.extra, "admin_port", uint32_t{0});
    ports.rpc = value_or(observed.extra, "rpc_port", uint32_t{0});
    warden::kit::Plan plan;
    plan.services.push_back(render(config, ports).service_spec(config.service));
    config.run_as.apply(plan.services.back());
    const int64_t holder = value_or(observed.extra, "data_dir_holder", int64_t{0});
    if (!ports.complete()) {
        plan.waiting = value_or(observed.extra, "port_error", std::string());
        if (plan.waiting.empty()) plan.waiting = "waiting for the broker's ports";
    } else if (holder != 0) {
        plan.waiting = "data directory " + config.data_dir + " is held by process " +
                       std::to_string(holder) +
                       " (its pid.lock): another Redpanda runs on it; stop that process or give "
                       "this worker a data_dir of its own";
    }
    plan.noun = "broker";
    plan.ready_hold_ms = kReadyHoldMs;
    plan.start_grace_ms = config.start_timeout_ms;
    plan.not_ready_restart_ms = config.not_ready_restart_ms;
    return plan;
}

// collect gathers facts in a fixed order: the ports, the kit's observation
// (s6 status, deploy), who holds the data directory, then — only while the
// process is up — readiness, and once ready the metrics and the cluster
// config, then Redpanda's own words when something is wrong. A broker that
// is down or does not answer is an observation; only a failing host call
// for the status itself throws.
std::string RedpandaWorker::collect(const warden::Snapshot &snapshot,
                                    const warden::Cancel &cancel) {
    const RedpandaConfig config = RedpandaConfig::from_json(snapshot.desired_json());
    RedpandaFacts facts;
    try {
        facts.ports.kafka = host().reserve_port("kafka", config.kafka_port);
        facts.ports.admin = host().reserve_port("admin", config.admin_port);
        facts.ports.rpc = host().reserve_port("rpc", config.rpc_port);
    } catch (const warden::Error &e) {
        facts.ports = Ports();
        facts.port_error = e.what();
    }
    // Who holds the data directory is asked once the broker's own pid is
    // known; the plan's services do not depend on it, so the last answer
    // serves for the observation.
    facts.data_dir_holder = last_holder_;
    warden::kit::Observed o = observe(snapshot, plan_for(snapshot, plan_seed(facts)));
    const warden::kit::ObservedService &service = o.services.front();
    const int64_t holder = data_dir_holder(config.data_dir);
    last_holder_ = held_by_service(holder, service.status.up ? service.status.pid : 0) ? 0 : holder;
    facts.data_dir_holder = last_holder_;
    const warden::kit::Plan &p = plan_for(snapshot, plan_seed(facts));

    std::string not_ready;
    const bool up = service.status.up && facts.ports.complete();
    if (up) {
        cancel.throw_if_requested("collect");
        probe_ready(facts, not_ready);
    }
    set_readiness(o, p, up && not_ready.empty(), not_ready);
    if (o.ready) {
        read_metrics(facts, config, host().monotonic_ns() - service.up_for_ms * kMs,
                     service.status.pid);
        read_cluster(facts, config, service.status.pid);
    } else {
        window_.clear();
        compared_key_.clear();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (restarting_ != 0 && !(service.status.up && service.status.pid == restarting_))
            restarting_ = 0;
        facts.restarting = restarting_;
        facts.cluster.restarted_version = restarted_version_;
    }
    if (something_wrong(o)) {
        try {
            o.last_error = newest_fatal_line(host().read_log(config.service, kLogLinesRead));
        } catch (const warden::Error &) {
            // The reason goes without Redpanda's words; the state is the same.
        }
    }
    o.extra = facts.to_json();
    return written(std::move(o));
}

// What the plan reads of an observation: the ports and who holds the data
// directory (the kit plans again only when they or the desired state change).
nlohmann::json RedpandaWorker::plan_seed(const RedpandaFacts &facts) {
    return {{"kafka_port", facts.ports.kafka},
            {"admin_port", facts.ports.admin},
            {"rpc_port", facts.ports.rpc},
            {"port_error", facts.port_error},
            {"data_dir_holder", facts.data_dir_holder}};
}

warden::HttpResponse RedpandaWorker::get(uint32_t port, const std::string &path) {
    warden::HttpRequest request;
    request.port = port;
    request.path = path;
    request.timeout_ms = kProbeTimeoutMs;
    return host().http(request);
}

// GET /v1/status/ready answers 200 while booting too: only a body saying
// "ready" is ready.
void RedpandaWorker::probe_ready(RedpandaFacts &f, std::string &not_ready) {
    try {
        const warden::HttpResponse ready = get(f.ports.admin, "/v1/status/ready");
        const json body = json::parse(ready.body, nullptr, false);
        f.ready_status =
            warden::printable(warden::kit::value_or(body, "status", std::string()), 40);
        if (ready.status_code != 200) {
            not_ready = "/v1/status/ready answered HTTP " + std::to_string(ready.status_code);
        } else if (f.ready_status != "ready") {
            not_ready = f.ready_status.empty()
                            ? "/v1/status/ready answered " + warden::printable(ready.body, 80)
                            : "Redpanda says it is " + f.ready_status;
        }
    } catch (const warden::Error &e) {
        not_ready = std::string("the admin API does not answer: ") + e.what();
    }
}

// The metrics the states judge by, and the bytes produced and consumed
// within the activity window, from the process's start.
void RedpandaWorker::read_metrics(RedpandaFacts &f, const RedpandaConfig &config,
                                  int64_t started_ns, int64_t pid) {
    try {
        const warden::HttpResponse metrics = get(f.ports.admin, "/public_metrics");
        if (metrics.status_code != 200) {
            f.metrics_error =
                "/public_metrics answered HTTP " + std::to_string(metrics.status_code);
            return;
        }
        f.metrics = read_public_metrics(metrics.body);
        f.metrics_read = true;
    } catch (const warden::Error &e) {
        f.metrics_error = e.what();
        return;
    }
    publish_figures(f.metrics);
    const int64_t now_ns = host().monotonic_ns();
    const int64_t window_ns = int64_t{config.activity_window_ms} * kMs;
    window_.set_span(window_ns);
    window_.add(now_ns, pid, started_ns,
                warden::kit::Counters{{"consume", f.metrics.consume_bytes},
                                      {"produce", f.metrics.produce_bytes}});
    const auto change = window_.change_over(window_ns);
    f.window_produced = change.delta.get("produce");
    f.window_consumed = change.delta.get("consume");
    f.window_ms = change.covered_ns / kMs;
}

// The figures the host exports as warden_plugin_redpanda_* (ABI 1.5; an
// older host gets none, and no word of it), from what /public_metrics just
// said: Redpanda's own byte totals, which start again with its process, and
// readings of its disk, topics and partitions. A body that lacks a family the
// worker reads changes none of them.
void RedpandaWorker::publish_figures(const BrokerMetrics &m) {
    if (!figures_.offered() || !m.problem.empty()) return;
    figures_.counter("produced_bytes_total",
                     "Bytes the broker's Kafka API took in produce requests since its process "
                     "started (redpanda_kafka_request_bytes_total, produce).",
                     m.produce_bytes);
    figures_.counter("consumed_bytes_total",
                     "Bytes the broker's Kafka API handed out to consumers since its process "
                     "started (redpanda_kafka_request_bytes_total, consume).",
                     m.consume_bytes);
    figures_.gauge("disk_free_bytes",
                   "Bytes free on the disk of the broker's data directory "
                   "(redpanda_storage_disk_free_bytes).",
                   m.disk_free_bytes);
    figures_.gauge("topics", "Topics the cluster has (redpanda_cluster_topics).",
                   static_cast<double>(m.topics));
    figures_.gauge("unavailable_partitions",
                   "Partitions without a leader, which take no writes "
                   "(redpanda_cluster_unavailable_partitions).",
                   static_cast<double>(m.unavailable_partitions));
}

// The broker's config version and restart flag every time (a small body);
// its values against the wanted ones only when either may have changed.
// Requests that fail are reported after a few in a row.
void RedpandaWorker::read_cluster(RedpandaFacts &f, const RedpandaConfig &config, int64_t pid) {
    ClusterFacts &c = f.cluster;
    c.wanted = wanted_fingerprint(config.cluster);
    Sent sent;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (sent_.wanted == c.wanted && sent_.pid == pid) sent = sent_;
    }
    c.sent_version = sent.version;
    c.sent_for_ms = sent.at_ns > 0 ? (host().monotonic_ns() - sent.at_ns) / kMs : 0;
    c.refused = sent.refused;
    try {
        // Read every time while anything is under way; when settled, now and then.
        const int64_t now_ns = host().monotonic_ns();
        const bool settled =
            compared_key_.rfind(c.wanted + "/" + std::to_string(pid) + "/", 0) == 0 &&
            compared_.empty() && !status_.restart && c.sent_version <= status_.version;
        if (!settled || now_ns - status_read_ns_ >= kSettledStatusNs) {
            const warden::HttpResponse answer = get(f.ports.admin, "/v1/cluster_config/status");
            if (answer.status_code != 200)
                throw warden::Error(WARDEN_ERR, "GET /v1/cluster_config/status answered HTTP " +
                                                    std::to_string(answer.status_code));
            status_ = read_config_status(answer.body);
            if (!status_.error.empty()) throw warden::Error(WARDEN_ERR, status_.error);
            status_read_ns_ = now_ns;
        }
        c.version = status_.version;
        c.restart = status_.restart;
        compare_cluster(c, f.ports.admin, config, sent, pid);
        cluster_errors_ = 0;
    } catch (const warden::Error &e) {
        compared_key_.clear();
        status_ = ConfigStatus();
        c.compared = false;
        if (++cluster_errors_ >= kClusterErrorsTolerated)
            c.error = warden::printable(e.what(), 300);
    }
    c.unrecorded =
        sorted(kept_properties(config.data_dir)) != sorted(property_names(config.cluster));
}

// The broker's values against the wanted ones, read again when the wanted
// properties, the process, its version or what was sent to it changed, or
// they did not match yet. A value the broker hides counts as taken once
// it was sent to this process and the process shows that version.
void RedpandaWorker::compare_cluster(ClusterFacts &c, uint32_t admin_port,
                                     const RedpandaConfig &config, const Sent &sent, int64_t pid) {
    const std::string key = c.wanted + "/" + std::to_string(pid) + "/" + std::to_string(c.version) +
                            "/" + std::to_string(sent.version);
    if (key != compared_key_ || !compared_.empty()) {
        const warden::HttpResponse current = get(admin_port, "/v1/cluster_config");
        const json values = json::parse(current.body, nullptr, false);
        if (current.status_code != 200 || !values.is_object())
            throw warden::Error(WARDEN_ERR, "GET /v1/cluster_config answered HTTP " +
                                                std::to_string(current.status_code) + " " +
                                                warden::printable(current.body, 120));
        compared_ = diff_cluster(config.cluster, values, kept_properties(config.data_dir));
        compared_key_ = key;
    }
    const bool taken = sent.version >= 0 && c.version >= sent.version;
    for (const std::string &name : property_names(compared_.upsert))
        if (!taken || std::find(compared_.hidden.begin(), compared_.hidden.end(), name) ==
                          compared_.hidden.end())
            c.differ.push_back(name);
    c.stale = compared_.remove;
    c.compared = true;
}

std::vector<std::string> RedpandaWorker::kept_properties(const std::string &data_dir) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!kept_) {
        kept_.emplace();
        std::ifstream in(managed_properties_file(data_dir));
        const json record = json::parse(in, nullptr, false);
        const auto list = record.is_object() ? record.find("kept") : record.end();
        if (record.is_object() && list != record.end() && list->is_array())
            for (const json &name : *list)
                if (name.is_string() && is_property_name(name.get_ref<const std::string &>()))
                    kept_->push_back(name.get<std::string>());
    }
    return *kept_;
}

// Written beside the broker's own files, so a restarted host still knows
// which properties are its to remove.
void RedpandaWorker::record_kept(const std::string &data_dir, std::vector<std::string> names) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        kept_ = names;
    }
    const std::string file = managed_properties_file(data_dir);
    const std::string partial = file + ".new";
    std::ofstream out(partial, std::ios::trunc);
    out << json{{"kept", names}}.dump() << "\n";
    out.close();
    if (!out || std::rename(partial.c_str(), file.c_str()) != 0)
        host().warn("cannot write " + file +
                    " (the cluster properties the worker keeps); a property later removed "
                    "from the config may stay on the broker");
}

void RedpandaWorker::record_sent(const std::string &wanted, int64_t pid, int64_t version,
                                 std::string refused) {
    std::lock_guard<std::mutex> lock(mutex_);
    sent_ = Sent{wanted, pid, version, host().monotonic_ns(), std::move(refused)};
}

void RedpandaWorker::record_restart(int64_t pid, int64_t version) {
    std::lock_guard<std::mutex> lock(mutex_);
    restarting_ = pid;
    restarted_version_ = version;
}

}  // namespace redpanda_plugin
