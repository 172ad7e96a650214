// SPDX-License-Identifier: Apache-2.0
// benthos_render.hpp — the files and command lines a `benthos` worker runs.
//
// A Rendering is everything the worker hands to s6 and to lint for one
// config and one HTTP port: the Benthos YAML (the user's sections, plus the
// HTTP server on the worker's own port, the logger and the metrics the worker
// reads), the run command and the lint command. It
// is a pure function of its inputs, so `next` can render to compare what
// runs with what should, and the same config gives the same bytes after a
// host restart.
#pragma once

#include "benthos_config.hpp"

#include <warden/host.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace benthos_plugin {

/// The config file's name: in the service's data/ dir, and in lint's
/// private working dir.
inline constexpr const char *kConfigFile = "benthos.yaml";

struct Rendering {
    std::string config_yaml;
    std::vector<std::string> run_argv;   ///< run from the service dir: data/benthos.yaml
    std::vector<std::string> lint_argv;  ///< run from lint's working dir: benthos.yaml

    /// The s6 service that runs this rendering.
    warden::ServiceSpec service_spec(const std::string &service) const;
    /// `benthos lint` on this rendering's config file.
    warden::Command lint_command() const;
};

/// Renders `config` with Benthos's HTTP server on 127.0.0.1:`http_port`.
Rendering render(const BenthosConfig &config, uint32_t http_port);

/// Whether `binary` is redpanda-connect, which takes `run FILE` where
/// Benthos takes `-c FILE`.
bool is_redpanda_connect(const std::string &binary);

}  // namespace benthos_plugin
