// SPDX-License-Identifier: Apache-2.0
// redpanda_actions.cpp — making the data directory, sending cluster
// properties, restarting for them.
#include "redpanda_actions.hpp"

#include "cluster_sync.hpp"
#include "data_dir.hpp"
#include "redpanda_worker.hpp"

#include <warden/kit/json_value.hpp>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

// A broker answers its admin API in milliseconds; a controller write may
// take a few seconds on a busy one.
constexpr uint32_t kReadTimeoutMs = 5'000;
constexpr uint32_t kWriteTimeoutMs = 10'000;

// The broker process an action acts on, as the snapshot's observation saw it.
int64_t observed_pid(const warden::Snapshot &snapshot) {
    const warden::kit::Observed o = warden::kit::Observed::from_json(snapshot.observed_json());
    return o.services.empty() || !o.services[0].status.up ? 0 : o.services[0].status.pid;
}

}  // namespace

// Who the broker runs as is settled first: an account the host refuses
// makes no directory. A directory it makes is the broker's to write: given
// to its user when the host switches to one. One it did not make is left
// as it is, with a word when the broker's user does not own it.
void DeployBroker::execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                           const warden::Cancel &cancel) const {
    const RedpandaConfig config = RedpandaConfig::from_json(snapshot.desired_json());
    const warden::ServiceAccount account = config.run_as.settle(worker.host());
    if (make_data_dir(config.data_dir)) {
        warden::kit::RunAs::hand_over(config.data_dir, account);
        worker.host().info("made data directory " + config.data_dir +
                           (account.switched ? " for uid " + std::to_string(account.uid) +
                                                   " and gid " + std::to_string(account.gid)
                                             : std::string()));
    } else if (account.switched) {
        const std::string problem = data_dir_owner_problem(config.data_dir, account.uid);
        if (!problem.empty()) worker.host().warn(problem);
    }
    warden::kit::Deploy<RedpandaWorker>{}.execute(worker, snapshot, cancel);
}

// Reads what the broker has, and sends only what differs; with nothing to
// send, only records the properties kept. Redpanda checks every property of
// a request before it applies any: a refusal (400 with a message per
// property) leaves the broker as it was, and is recorded for the states to
// show, not retried. A broker that does not answer, or answers anything
// else, fails the action: the host tries again later.
void ConfigureCluster::execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                               const warden::Cancel &cancel) const {
    const RedpandaConfig config = RedpandaConfig::from_json(snapshot.desired_json());
    const uint32_t admin_port =
        warden::kit::value_or(warden::kit::Observed::from_json(snapshot.observed_json()).extra,
                              "admin_port", uint32_t{0});
    const int64_t pid = observed_pid(snapshot);
    if (admin_port == 0 || pid == 0)
        throw warden::Error(WARDEN_ERR, "configure_cluster: the broker is not up");
    const std::string wanted = wanted_fingerprint(config.cluster);

    warden::HttpRequest read;
    read.port = admin_port;
    read.path = "/v1/cluster_config";
    read.timeout_ms = kReadTimeoutMs;
    const warden::HttpResponse current = worker.host().http(read);
    const json values = json::parse(current.body, nullptr, false);
    if (current.status_code != 200 || !values.is_object())
        throw warden::Error(WARDEN_ERR, "GET /v1/cluster_config answered HTTP " +
                                            std::to_string(current.status_code));
    const ClusterDiff diff =
        diff_cluster(config.cluster, values, worker.kept_properties(config.data_dir));
    if (diff.empty()) {
        worker.record_kept(config.data_dir, property_names(config.cluster));
        return;
    }
    cancel.throw_if_requested(name);

    warden::HttpRequest write;
    write.method = "PUT";
    write.port = admin_port;
    write.path = "/v1/cluster_config";
    write.content_type = "application/json";
    write.body = diff.body();
    write.timeout_ms = kWriteTimeoutMs;
    const warden::HttpResponse answer = worker.host().http(write);
    PutAnswer a = read_put_answer(answer.status_code, answer.body);
    if (!a.error.empty()) throw warden::Error(WARDEN_ERR, a.error);
    if (a.refused.empty()) {
        worker.host().info("cluster config version " + std::to_string(a.version) + " (" +
                           diff.summary() + ")");
        worker.record_kept(config.data_dir, property_names(config.cluster));
    } else {
        worker.host().warn("Redpanda refused cluster properties: " + a.refused);
    }
    worker.record_sent(wanted, pid, a.version, std::move(a.refused));
}

void RestartForConfig::execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                               const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    const warden::kit::Observed o = warden::kit::Observed::from_json(snapshot.observed_json());
    const auto cluster = o.extra.find("cluster");
    const int64_t version =
        cluster == o.extra.end() ? -1 : warden::kit::value_or(*cluster, "version", int64_t{-1});
    // Recorded once s6 took the command: a refused one waits for no process.
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::restart);
    worker.record_restart(observed_pid(snapshot), version);
}

}  // namespace redpanda_plugin
