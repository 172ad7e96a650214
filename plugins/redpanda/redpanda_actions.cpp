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

}  // namespace

void DeployBroker::execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                           const warden::Cancel &cancel) const {
    make_data_dir(RedpandaConfig::from_json(snapshot.desired_json()).data_dir);
    warden::kit::Deploy<RedpandaWorker>{}.execute(worker, snapshot, cancel);
}

// Reads what the broker has, and sends only what differs. Redpanda checks
// every property of a request before it applies any: a refusal (400 with a
// message per property) leaves the broker as it was, and is recorded for
// the states to show, not retried. A broker that does not answer, or
// answers anything else, fails the action: the host tries again later.
void ConfigureCluster::execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                               const warden::Cancel &cancel) const {
    const RedpandaConfig config = RedpandaConfig::from_json(snapshot.desired_json());
    const uint32_t admin_port =
        warden::kit::value_or(warden::kit::Observed::from_json(snapshot.observed_json()).extra,
                              "admin_port", uint32_t{0});
    if (admin_port == 0) throw warden::Error(WARDEN_ERR, "configure_cluster: no admin port yet");
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
        diff_cluster(config.cluster, values, worker.managed_properties(config.data_dir));
    cancel.throw_if_requested(name);

    warden::HttpRequest write;
    write.method = "PUT";
    write.port = admin_port;
    write.path = "/v1/cluster_config";
    write.content_type = "application/json";
    const std::string body = diff.body();
    write.body = body;
    write.timeout_ms = kWriteTimeoutMs;
    const warden::HttpResponse answer = worker.host().http(write);
    PutAnswer a = read_put_answer(answer.status_code, answer.body);
    if (!a.error.empty()) throw warden::Error(WARDEN_ERR, a.error);
    worker.host().info(a.refused.empty()
                           ? "cluster config version " + std::to_string(a.version) + " (" +
                                 (diff.empty() ? std::string("nothing differed") : diff.summary()) +
                                 ")"
                           : "Redpanda refused cluster properties: " + a.refused);
    worker.record_sent(wanted, a.version, std::move(a.refused), config.data_dir,
                       property_names(config.cluster));
}

void RestartForConfig::execute(RedpandaWorker &worker, const warden::Snapshot &,
                               const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::restart);
}

}  // namespace redpanda_plugin
