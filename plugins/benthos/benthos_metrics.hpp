// benthos_metrics.hpp — the counters a `benthos` worker reads from /metrics.
//
// Benthos serves Prometheus text: one line per series, labelled by component
// (`output_sent{label="",path="root.output"} 42`). The worker needs a few
// counters, each summed over all its series (a pipeline may have several
// processors or a broker of outputs); everything else is skipped.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>

namespace benthos_plugin {

struct BenthosCounters {
    double input_received = 0;
    double output_sent = 0;
    double output_error = 0;
    double processor_error = 0;
    double input_connection_up = 0;
    double input_connection_lost = 0;
    double input_connection_failed = 0;
    double output_connection_up = 0;
    double output_connection_lost = 0;
    double output_connection_failed = 0;

    /// Whether any counter is below its value in `earlier`: the process
    /// restarted and its counters began again.
    bool went_back_from(const BenthosCounters &earlier) const;
    /// Each counter's growth since `earlier`.
    BenthosCounters minus(const BenthosCounters &earlier) const;

    nlohmann::json to_json() const;
    static BenthosCounters from_json(const nlohmann::json &in);
};

/// Sums the counters above from a /metrics body. Lines it does not know,
/// comments and malformed lines are skipped.
BenthosCounters parse_prometheus(std::string_view text);

}  // namespace benthos_plugin
