// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_figures.hpp — the figures a worker publishes to the
// fake host (figure_publish, ABI 1.5), and the slot.
//
// FakeFigures keeps them in the host's own book (rules::FigureBook, from
// warden/host_rules.hpp), so the fake refuses what the host refuses, in the
// host's words [WP-FIG-1]: each field of a figure, a kind, help or label
// name other than the one its name has in the worker type, a series past
// WARDEN_MAX_FIGURES_PER_WORKER. A test reads what was published (figures(),
// figure()) and forgets a worker as the host does when it is removed from
// the config (forget). The slot checks the caller first: the plugin's own
// context is not permitted, a derive_desired_state or check_config context
// publishes nothing (unsupported).
//
// THREADING: every method is thread-safe.
#ifndef WARDEN_TESTING_FAKE_FIGURES_HPP
#define WARDEN_TESTING_FAKE_FIGURES_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_context.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warden::testing {

/// One series a worker published, with its current value.
struct PublishedFigure {
    std::string type;
    std::string worker;
    std::string name;  ///< as published; the host exports warden_plugin_<type>_<name>
    FigureKind kind = FigureKind::gauge;
    std::string help;
    std::string label_name;  ///< empty: the figure has no label
    std::string label_value;
    double value = 0;
};

class FakeFigures {
public:
    /// Every series published and not forgotten, sorted by the name the host
    /// exports (warden_plugin_<type>_<name>), then worker and label value.
    std::vector<PublishedFigure> figures() const {
        std::vector<PublishedFigure> out;
        for (rules::FigureFamily &family : book_.families())
            for (rules::FigureSeries &series : family.series)
                out.push_back(PublishedFigure{family.type, std::move(series.worker), family.name,
                                              static_cast<FigureKind>(family.kind), family.help,
                                              family.label_name, std::move(series.label_value),
                                              series.value});
        return out;
    }

    /// The series worker `type`/`worker` published as `name` (with
    /// `label_value`, for a figure with a label), if any.
    std::optional<PublishedFigure> figure(const std::string &type, const std::string &worker,
                                          const std::string &name,
                                          const std::string &label_value = {}) const {
        for (PublishedFigure &f : figures())
            if (f.type == type && f.worker == worker && f.name == name &&
                f.label_value == label_value)
                return std::move(f);
        return std::nullopt;
    }

    /// Drops worker `type`/`worker`'s series, as the host does when the
    /// worker is removed from the config.
    void forget(const std::string &type, const std::string &worker) { book_.forget(type, worker); }

    /// What the slot does once the caller passed: the host's book.
    rules::Refusal publish(const std::string &type, const std::string &worker,
                           const rules::FigureView &figure) {
        return book_.publish(type, worker, figure);
    }

private:
    rules::FigureBook book_;
};

namespace fake_detail {

inline warden_status figure_publish(warden_host_ctx *c, const warden_figure *figure) {
    if (c == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT, "figure_publish: NULL context");
    const Context &caller = *ctx(c);
    if (rules::Refusal bad = rules::figure_caller_problem(caller.caller(), caller.offers_figures))
        return answer(std::move(bad));
    if (rules::Refusal bad = rules::figure_struct_problem(figure)) return answer(std::move(bad));
    return answer(
        caller.parts->figures->publish(caller.type, caller.name, rules::figure_view(*figure)));
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_FIGURES_HPP
