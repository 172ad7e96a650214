// SPDX-License-Identifier: Apache-2.0
// benthos_render.cpp — rendering a `benthos` worker's config and commands.
#include "benthos_render.hpp"

#include <warden/kit/yaml_writer.hpp>

namespace benthos_plugin {
namespace {

using nlohmann::json;

// Linting takes Benthos well under a second; a binary that hangs is killed.
constexpr uint32_t kLintTimeoutMs = 20'000;

std::string header(const BenthosConfig &config) {
    return "# Written by warden for service " + config.service +
           " from its worker's config; edits here are overwritten.\n";
}

}  // namespace

bool is_redpanda_connect(const std::string &binary) {
    const auto slash = binary.rfind('/');
    const std::string base = slash == std::string::npos ? binary : binary.substr(slash + 1);
    return base == "redpanda-connect";
}

// The worker owns three settings of the file: where the HTTP server listens
// (its own port, loopback, which is where the probes go), the logger (logfmt
// to stdout, no timestamps: s6-log adds them), and Prometheus metrics, which
// the worker reads from /metrics. Everything else is the user's, as written.
Rendering render(const BenthosConfig &config, uint32_t http_port) {
    json document = config.sections;
    document["http"] = {{"address", "127.0.0.1:" + std::to_string(http_port)}, {"enabled", true}};
    document["logger"] = {
        {"level", config.log_level}, {"format", "logfmt"}, {"add_timestamp", false}};
    document["metrics"] = {{"prometheus", json::object()}};

    Rendering r;
    r.config_yaml = header(config) + warden::kit::to_yaml(document);
    const std::string file = std::string("data/") + kConfigFile;
    if (is_redpanda_connect(config.binary)) {
        r.run_argv = {config.binary, "run", file};
    } else {
        r.run_argv = {config.binary, "-c", file};
    }
    r.lint_argv = {config.binary, "lint", kConfigFile};
    return r;
}

// Benthos stops cleanly on SIGTERM, finishing in-flight messages; the host's
// default (SIGKILL 10 s later) bounds a pipeline that will not stop.
warden::ServiceSpec Rendering::service_spec(const std::string &service) const {
    warden::ServiceSpec spec;
    spec.name = service;
    spec.argv = run_argv;
    spec.files.push_back(warden::ServiceFile{kConfigFile, config_yaml, 0644});
    return spec;
}

warden::Command Rendering::lint_command() const {
    warden::Command command;
    command.argv = lint_argv;
    command.files.push_back(warden::ServiceFile{kConfigFile, config_yaml, 0644});
    command.timeout_ms = kLintTimeoutMs;
    return command;
}

}  // namespace benthos_plugin
