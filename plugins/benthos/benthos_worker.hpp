// benthos_worker.hpp — the `benthos` worker type: one Benthos pipeline, run
// as an s6 service, watched through its HTTP endpoints.
//
// THREADING: collect runs on the worker's collector, the actions on its
// executor, at the same time. What both touch — the newest lint verdict, the
// fingerprint deployed and the count of restarts for not being ready — is
// behind `mutex_`. The counter history and the readiness clocks belong to
// collect alone. States never touch the worker.
#pragma once

#include "benthos_actions.hpp"
#include "benthos_config.hpp"
#include "benthos_observed.hpp"
#include "benthos_states.hpp"
#include "counter_window.hpp"

#include <warden/plugin.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace benthos_plugin {

class BenthosWorker : public warden::Worker {
public:
    static constexpr std::string_view type_name = "benthos";
    static constexpr std::string_view description =
        "runs one Benthos (or Redpanda Connect) pipeline as an s6 service";
    using States = warden::States<Stopped, Starting, Idle, Active, Degraded, Stopping>;
    using Actions = warden::Actions<LintConfig, DeployService, StartService, RestartService,
                                    StopService, RemoveService>;
    using InitialState = Stopped;

    explicit BenthosWorker(const warden::WorkerContext &context);

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    static std::string derive_desired(const warden::Host &host, const warden::Identity &identity,
                                      std::string_view config_json);

    /// What deploying would check: the port, then `benthos lint` on the
    /// rendered file. Throws warden::ConfigError (or the port's conflict).
    static void check_config(const warden::Host &host, const warden::Identity &identity,
                             std::string_view desired_json, const warden::Cancel &cancel);

    /// The observed state (JSON): s6 status, probes, counters, lint and deploy.
    std::string collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel);

    /// The worker's HTTP port for `config` (reserved through the host).
    uint32_t http_port(const BenthosConfig &config) const;

    /// Set by the actions.
    void set_lint(LintVerdict verdict);
    /// Whether the newest lint passed the rendering with this fingerprint.
    bool lint_passed(const std::string &fingerprint);
    /// Records a deploy; a new config starts the count of not-ready restarts again.
    void set_deployed(std::string fingerprint);
    /// Counts a restart of a process that stayed not ready.
    void count_not_ready_restart();
    /// Starts that count again: the service was stopped or removed.
    void forget_not_ready_restarts();

private:
    void probe(BenthosObserved &observed);
    void track_counters(BenthosObserved &observed, const BenthosConfig &config, int64_t now_ns);
    void track_readiness(BenthosObserved &observed, int64_t now_ns);

    std::mutex mutex_;
    LintVerdict lint_;
    std::string deployed_;
    uint32_t not_ready_restarts_ = 0;  // in a row, since it last ran

    CounterWindow window_;
    int64_t ready_since_ns_ = 0;  // monotonic; 0 = not live and ready
    int64_t ready_pid_ = 0;       // the process that readiness belongs to

    int64_t not_ready_since_ns_ = 0;  // monotonic; 0 = down, or live and ready
    int64_t seen_pid_ = 0;            // the process the last collect saw up; 0 = none
    int64_t watching_since_ns_ = 0;   // monotonic; the first collect
};

}  // namespace benthos_plugin
