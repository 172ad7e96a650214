// SPDX-License-Identifier: Apache-2.0
// graphql_render.cpp — rendering a `graphql` worker's service.
#include "graphql_render.hpp"

namespace graphql_plugin {

warden::ServiceSpec service_spec(const GraphqlConfig &config, uint32_t port) {
    warden::ServiceSpec spec;
    spec.name = config.service;
    if (config.server == Server::topic_browser) {
        spec.argv = {config.node, config.script};
        std::string brokers;
        for (const std::string &broker : config.kafka_brokers)
            brokers += (brokers.empty() ? "" : ",") + broker;
        spec.env = {"PORT=" + std::to_string(port),
                    "LISTEN_ADDRESS=" + config.listen,
                    "KAFKA_BROKERS=" + brokers,
                    "GRAPHQL_PATH=" + config.path,
                    "TOPIC_BROWSER_EVENTS_PER_TOPIC=" + std::to_string(config.events_per_topic),
                    "TOPIC_BROWSER_MAX_BYTES=" + std::to_string(config.kept_bytes),
                    "NODE_ENV=production"};
    } else {
        spec.argv = {config.command};
        spec.argv.insert(spec.argv.end(), config.args.begin(), config.args.end());
        for (const auto &[name, value] : config.env) spec.env.push_back(name + "=" + value);
        spec.env.push_back("PORT=" + std::to_string(port));
        spec.env.push_back("LISTEN_ADDRESS=" + config.listen);
        spec.working_dir = config.working_dir;
    }
    config.run_as.apply(spec);
    return spec;
}

}  // namespace graphql_plugin
