// SPDX-License-Identifier: Apache-2.0
// host/metrics/plugin_figures.hpp — the figures workers publish through
// figure_publish (ABI 1.5) [WP-FIG-1], kept for the metrics endpoint.
//
// One PluginFigures per host. The figure_publish slot writes into it for the
// calling worker (a worker's context reaches it through its ServiceGate, as
// the port registry is reached); the metrics code reads it with collect()
// at each scrape. Each publish sets one series' current value, after the
// SDK's rules (warden/host_rules.hpp, the fake host's too): the figure's
// fields, one kind, help and label name per name within a worker type, and
// at most WARDEN_MAX_FIGURES_PER_WORKER series per worker. A worker removed
// from the config is forgotten (ServiceGate::forget_worker does it).
//
// What a scrape shows: one family per figure, warden_plugin_<type>_<name>,
// with its help and kind, and one series per worker and label value,
// labelled type, worker and, when the figure has one, its own label.
//
// THREADING: every method is thread-safe; publish, forget and collect may
// run at once from any threads.
// OWNERSHIP: collect() hands out copies.
#pragma once

#include "common/result.hpp"

#include <warden/host_rules.hpp>

#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <vector>

namespace warden::host {

/// One figure as a worker publishes it (see warden_figure).
struct Figure {
    std::string name;
    int32_t kind = WARDEN_FIGURE_GAUGE;  ///< WARDEN_FIGURE_*
    std::string help;
    std::string label_name;  ///< empty: no label of the figure's own
    std::string label_value;
    double value = 0;
};

class PluginFigures {
public:
    PluginFigures() = default;
    PluginFigures(const PluginFigures &) = delete;
    PluginFigures &operator=(const PluginFigures &) = delete;

    /// Sets the value of worker `type`/`worker`'s series (figure.name,
    /// figure.label_value), checked by the SDK's rules. A refusal changes
    /// nothing; its error (invalid_argument, or unsupported for a kind this
    /// host does not know) has the text the plugin gets.
    Result<void> publish(const std::string &type, const std::string &worker, const Figure &figure);
    /// The same for a figure the slot read from a plugin's warden_figure.
    Result<void> publish(const std::string &type, const std::string &worker,
                         const rules::FigureView &figure);

    /// The worker was removed: its series go at once, and a name no worker
    /// of its type publishes any more is free again.
    void forget(const std::string &type, const std::string &worker);

    /// Every family with series, sorted by name; each family's series
    /// sorted by their labels (worker, then the figure's own label's value).
    /// Labels in each series: type, worker, then the figure's own.
    std::vector<prometheus::MetricFamily> collect() const;

    /// How many series worker `type`/`worker` publishes.
    std::size_t series_of(const std::string &type, const std::string &worker) const {
        return book_.series_of(type, worker);
    }

private:
    rules::FigureBook book_;
};

}  // namespace warden::host
