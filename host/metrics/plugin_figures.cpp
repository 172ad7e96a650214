// SPDX-License-Identifier: Apache-2.0
// host/metrics/plugin_figures.cpp
#include "metrics/plugin_figures.hpp"

#include <utility>

namespace warden::host {
namespace {

ErrorKind kind_of(warden_status status) {
    switch (status) {
        case WARDEN_ERR_INVALID_ARGUMENT: return ErrorKind::invalid_argument;
        case WARDEN_ERR_NOT_PERMITTED: return ErrorKind::not_permitted;
        case WARDEN_ERR_UNSUPPORTED: return ErrorKind::unsupported;
        default: return ErrorKind::failed;
    }
}

}  // namespace

Result<void> PluginFigures::publish(const std::string &type, const std::string &worker,
                                    const Figure &figure) {
    return publish(type, worker,
                   rules::FigureView{figure.name, figure.kind, figure.help, figure.label_name,
                                     figure.label_value, figure.value});
}

Result<void> PluginFigures::publish(const std::string &type, const std::string &worker,
                                    const rules::FigureView &figure) {
    rules::Refusal refusal = book_.publish(type, worker, figure);
    if (refusal) return Error{std::move(refusal.text), kind_of(refusal.status)};
    return {};
}

void PluginFigures::forget(const std::string &type, const std::string &worker) {
    book_.forget(type, worker);
}

std::vector<prometheus::MetricFamily> PluginFigures::collect() const {
    std::vector<prometheus::MetricFamily> out;
    for (rules::FigureFamily &figure : book_.families()) {
        prometheus::MetricFamily family;
        family.name = std::move(figure.exported_name);
        family.help = std::move(figure.help);
        const bool counter = figure.kind == WARDEN_FIGURE_COUNTER;
        family.type = counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
        family.metric.reserve(figure.series.size());
        for (rules::FigureSeries &series : figure.series) {
            prometheus::ClientMetric metric;
            metric.label.push_back({"type", figure.type});
            metric.label.push_back({"worker", std::move(series.worker)});
            if (!figure.label_name.empty())
                metric.label.push_back({figure.label_name, std::move(series.label_value)});
            if (counter)
                metric.counter.value = series.value;
            else
                metric.gauge.value = series.value;
            family.metric.push_back(std::move(metric));
        }
        out.push_back(std::move(family));
    }
    return out;
}

}  // namespace warden::host
