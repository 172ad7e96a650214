// SPDX-License-Identifier: Apache-2.0
// benthos_worker.hpp — the `benthos` worker type: one Benthos pipeline, run
// as an s6 service, watched through its HTTP endpoints.
//
// Built on the SDK's worker kit: the kit's states and actions run the
// service (lint, deploy, start, stop, restart, remove), and this class says
// what is Benthos's: the config (BenthosConfig), the rendering and its lint
// (the plan), the probes of /ping, /ready and /metrics (collect), how a
// running pipeline is judged (idle or active, error rates), and the figures
// it publishes on a host that takes them (ABI 1.5): Benthos's message and
// error totals and the last minute's rates.
//
// THREADING: as kit::ServiceWorker: collect runs on the worker's collector,
// the actions on its executor. The counter window, the figures and the
// cached plan belong to collect alone.
// The states and the judging hooks are pure.
#pragma once

#include "benthos_config.hpp"
#include "benthos_observed.hpp"
#include "benthos_states.hpp"

#include <warden/kit/counter_window.hpp>
#include <warden/kit/figures.hpp>
#include <warden/kit/service_worker.hpp>

#include <string>
#include <string_view>

namespace benthos_plugin {

class BenthosWorker : public warden::kit::ServiceWorker<BenthosWorker> {
public:
    static constexpr std::string_view type_name = "benthos";
    static constexpr std::string_view description =
        "runs one Benthos (or Redpanda Connect) pipeline as an s6 service";
    using States =
        warden::States<warden::kit::Stopped<BenthosWorker>, warden::kit::Starting<BenthosWorker>,
                       Idle, Active, warden::kit::Degraded<BenthosWorker>,
                       warden::kit::Stopping<BenthosWorker>>;
    using Actions = ActionsWithCheck;

    explicit BenthosWorker(const warden::WorkerContext &context);

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    static std::string derive_desired(const warden::Host &host, const warden::Identity &identity,
                                      std::string_view config_json);

    /// What deploying would check: the port, then `benthos lint` on the
    /// rendered file. Throws warden::ConfigError (or the port's conflict).
    static void check_config(const warden::Host &host, const warden::Identity &identity,
                             std::string_view desired_json, const warden::Cancel &cancel);

    /// The service for the config and the observed port, and its lint.
    static warden::kit::Plan plan(const warden::Snapshot &snapshot,
                                  const warden::kit::Observed &observed);

    /// The observed state (JSON): the kit's observation, the probes and the counters.
    std::string collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel);

    // How the kit's states judge a pipeline that runs (benthos_states.cpp).
    static std::string trouble(const warden::kit::View<BenthosWorker> &v);
    static std::string health_text(const warden::kit::View<BenthosWorker> &v);
    static warden::Decision healthy(const warden::kit::View<BenthosWorker> &v, std::string reason);

private:
    void probe(BenthosFacts &facts, std::string &not_ready);
    void track_counters(BenthosFacts &facts, const BenthosConfig &config, int64_t started_ns,
                        int64_t pid);
    void publish_figures(const BenthosFacts &facts, bool up);

    warden::kit::CounterWindow window_;
    warden::kit::Figures figures_;
};

}  // namespace benthos_plugin
