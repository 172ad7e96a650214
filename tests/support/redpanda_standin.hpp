// SPDX-License-Identifier: Apache-2.0
// tests/support/redpanda_standin.hpp — the Redpanda stand-in
// (tests/fixtures/redpanda_fixture) run by hand as a Kafka broker, for the
// tests and benchmarks that need one without the redpanda worker.
//
// OWNERSHIP: the process is killed by pid when the object goes; its files
// (redpanda.yaml, the data directory, its output) stay in the caller's dir.
// THREADING: one thread.
#pragma once

#include "process.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace warden::test {

class RedpandaStandIn {
public:
    /// Writes redpanda.yaml and a data directory (booting in 20 ms) into
    /// `dir`, and starts the stand-in with its Kafka API on 127.0.0.1:
    /// `kafka_port` (0: a free port) and its admin API on a free one.
    explicit RedpandaStandIn(const std::filesystem::path &dir, uint16_t kafka_port = 0);

    /// Whether the stand-in has been built (the redpanda_fixture target).
    static bool built();

    uint16_t kafka_port() const { return kafka_port_; }
    /// "127.0.0.1:<kafka port>", as Kafka clients take it.
    std::string address() const { return "127.0.0.1:" + std::to_string(kafka_port_); }
    /// What it wrote to stderr (its log) so far.
    std::string err() const { return process_.err(); }

    /// Waits until its admin API says ready, for at most `timeout`.
    bool ready(std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

private:
    uint16_t kafka_port_;
    uint16_t admin_port_;
    BackgroundProcess process_;
};

}  // namespace warden::test
