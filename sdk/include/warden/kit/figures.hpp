// SPDX-License-Identifier: Apache-2.0
// warden/kit/figures.hpp — a worker's own figures, published from its
// collect (ABI 1.5) [WP-FIG-1].
//
// Part of the worker kit: header-only C++ that compiles into the plugin, on
// the wrapper; never part of the ABI.
//
// A worker that knows numbers worth a graph (messages sent, bytes consumed)
// publishes them at each observation; the host exports each as
// warden_plugin_<type>_<name>{type, worker[, label]}. Figures does the
// parts every such worker repeats:
//   * On a host older than ABI 1.5 it publishes nothing and says nothing:
//     offered() is false, and gauge() and counter() return false.
//   * A figure the host refuses (a bad name, a help that differs from the
//     one its name has, the per-worker limit) never fails the collect: the
//     refusal is logged at warn once, until that figure is taken again, and
//     the other figures are still published.
//
// Example, in a worker's collect:
//
//   // a member: warden::kit::Figures figures_{host()};
//   figures_.counter("output_sent_total", "Messages the outputs sent.", totals.get("output_sent"));
//   figures_.gauge("output_sent_per_second", "Messages sent per second, last minute.", rate);
//
// OWNERSHIP: it keeps a copy of the Host (the host's table and context).
// THREADING: none; one thread at a time (a worker calls it from collect).
#ifndef WARDEN_KIT_FIGURES_HPP
#define WARDEN_KIT_FIGURES_HPP

#include <warden/host.hpp>
#include <warden/types.hpp>

#include <set>
#include <string>
#include <string_view>

namespace warden::kit {

class Figures {
public:
    explicit Figures(const Host &host) : host_(host) {}

    /// Whether the host takes figures (ABI 1.5 or newer).
    bool offered() const noexcept { return host_.offers_figures(); }

    /// Sets `figure`'s current value; false when the host is older than ABI
    /// 1.5 or refused it (then logged, once until it is taken again).
    bool publish(const Figure &figure) {
        if (!offered()) return false;
        try {
            host_.publish_figure(figure);
        } catch (const Error &e) {
            if (refused_.insert(figure.name).second)
                host_.warn(std::string("figure not published: ") + e.what());
            return false;
        }
        refused_.erase(figure.name);
        return true;
    }

    /// A reading that goes up and down; `name` does not end in _total.
    bool gauge(std::string_view name, std::string_view help, double value,
               std::string_view label_name = {}, std::string_view label_value = {}) {
        return publish(make(name, FigureKind::gauge, help, value, label_name, label_value));
    }

    /// A total since the process started; `name` ends in _total.
    bool counter(std::string_view name, std::string_view help, double value,
                 std::string_view label_name = {}, std::string_view label_value = {}) {
        return publish(make(name, FigureKind::counter, help, value, label_name, label_value));
    }

private:
    static Figure make(std::string_view name, FigureKind kind, std::string_view help, double value,
                       std::string_view label_name, std::string_view label_value) {
        Figure figure;
        figure.name = name;
        figure.kind = kind;
        figure.help = help;
        figure.label_name = label_name;
        figure.label_value = label_value;
        figure.value = value;
        return figure;
    }

    Host host_;
    std::set<std::string> refused_;  // names whose refusal was logged
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_FIGURES_HPP
