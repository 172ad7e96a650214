// SPDX-License-Identifier: Apache-2.0
// warden/kit.hpp — the worker kit, all of it: what every worker that runs
// s6 services repeats, written once. Header-only C++ on the wrapper
// (warden/plugin.hpp) and nlohmann/json; it compiles into the plugin and is
// never part of the ABI. Link Warden::kit.
//
//   kit/service_worker.hpp  the base class: states, actions, collect
//   kit/lifecycle.hpp       the states and the decisions they share
//   kit/service_actions.hpp check, deploy, start, stop, restart, remove
//   kit/plan.hpp            what a worker wants running, and its timings
//   kit/observed.hpp        the kit's part of the observed state
//   kit/service_status.hpp  one service's status as JSON, both ways
//   kit/fingerprint.hpp     a short hash of what is deployed
//   kit/config_check.hpp    deploy after the program's own config check
//   kit/readiness.hpp       readiness clocks and crash-loop detection
//   kit/config_reader.hpp   reading a worker's config, with the usual errors
//   kit/run_as.hpp          the `user` and `group` keys every worker takes
//   kit/prometheus.hpp      Prometheus text format
//   kit/counter_window.hpp  counter growth and rates over a recent window
//   kit/figures.hpp         a worker's own figures, published from collect
//   kit/yaml_writer.hpp     JSON written as YAML, the same bytes every time
#ifndef WARDEN_KIT_HPP
#define WARDEN_KIT_HPP

#include <warden/kit/config_check.hpp>
#include <warden/kit/config_reader.hpp>
#include <warden/kit/counter_window.hpp>
#include <warden/kit/figures.hpp>
#include <warden/kit/fingerprint.hpp>
#include <warden/kit/lifecycle.hpp>
#include <warden/kit/observed.hpp>
#include <warden/kit/plan.hpp>
#include <warden/kit/prometheus.hpp>
#include <warden/kit/readiness.hpp>
#include <warden/kit/run_as.hpp>
#include <warden/kit/service_actions.hpp>
#include <warden/kit/service_status.hpp>
#include <warden/kit/service_worker.hpp>
#include <warden/kit/yaml_writer.hpp>
#include <warden/plugin.hpp>

#endif  // WARDEN_KIT_HPP
