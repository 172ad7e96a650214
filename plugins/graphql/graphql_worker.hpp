// SPDX-License-Identifier: Apache-2.0
// graphql_worker.hpp — the `graphql` worker type: one GraphQL server (the
// topic browser Warden ships, or the user's own), run as an s6 service and
// judged by asking it real questions.
//
// Built on the SDK's worker kit: the kit's states and actions run the
// service (deploy, start, stop, restart, remove), and this class says what
// is the server's: the config (GraphqlConfig), the rendering (the plan), the
// probes of its health endpoint, its readiness, `{ __typename }` and its
// metrics (collect), how a running server is judged (idle or active, error
// results growing), and the figures it publishes on a host that takes them
// (ABI 1.5): the server's request and error-result totals.
//
// THREADING: as kit::ServiceWorker: collect runs on the worker's collector,
// the actions on its executor. The counter window, the figures and the
// cached plan belong to collect alone. The states and the judging hooks are
// pure.
#pragma once

#include "graphql_config.hpp"
#include "graphql_observed.hpp"
#include "graphql_states.hpp"

#include <warden/kit/counter_window.hpp>
#include <warden/kit/figures.hpp>
#include <warden/kit/service_worker.hpp>

#include <string>
#include <string_view>

namespace graphql_plugin {

class GraphqlWorker : public warden::kit::ServiceWorker<GraphqlWorker> {
public:
    static constexpr std::string_view type_name = "graphql";
    static constexpr std::string_view description =
        "runs one GraphQL server (Warden's topic browser, or your own) as an s6 service";
    using States =
        warden::States<warden::kit::Stopped<GraphqlWorker>, warden::kit::Starting<GraphqlWorker>,
                       Idle, Active, warden::kit::Degraded<GraphqlWorker>,
                       warden::kit::Stopping<GraphqlWorker>>;

    explicit GraphqlWorker(const warden::WorkerContext &context);

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    static std::string derive_desired(const warden::Host &host, const warden::Identity &identity,
                                      std::string_view config_json);

    /// What `warden --check-config` checks beyond the keys: the port (held
    /// by another worker?), the program (an executable file?) and, for the
    /// topic browser, that it is installed.
    static void check_config(const warden::Host &host, const warden::Identity &identity,
                             std::string_view desired_json, const warden::Cancel &cancel);

    /// The service for the config and the observed port; nothing is
    /// deployed while the port is missing.
    static warden::kit::Plan plan(const warden::Snapshot &snapshot,
                                  const warden::kit::Observed &observed);

    /// The observed state (JSON): the kit's observation, the probes and the counters.
    std::string collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel);

    // How the kit's states judge a server that runs (graphql_states.cpp).
    static std::string trouble(const warden::kit::View<GraphqlWorker> &v);
    static std::string health_text(const warden::kit::View<GraphqlWorker> &v);
    static warden::Decision healthy(const warden::kit::View<GraphqlWorker> &v, std::string reason);

private:
    void probe(GraphqlFacts &facts, const GraphqlConfig &config, std::string &not_ready);
    void read_metrics(GraphqlFacts &facts, const GraphqlConfig &config);
    void track_counters(GraphqlFacts &facts, const GraphqlConfig &config, int64_t started_ns,
                        int64_t pid);
    void mark_log(const GraphqlConfig &config, int64_t pid);
    void publish_figures(const GraphqlFacts &facts);

    warden::kit::CounterWindow window_;
    warden::kit::Figures figures_;
    int metrics_failures_ = 0;  // scrapes failed in a row
    // The log's last line when the worker first saw process log_mark_pid_
    // up: the server's words before it are an earlier process's.
    int64_t log_mark_pid_ = 0;
    std::string log_mark_;
};

}  // namespace graphql_plugin
