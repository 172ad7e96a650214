// SPDX-License-Identifier: Apache-2.0
// graphql_render.hpp — the s6 service a `graphql` worker runs.
//
// A pure function of the config and the worker's port, so the states can
// render to compare what runs with what should, and the same config gives
// the same bytes after a host restart (which then adopts the server).
#pragma once

#include "graphql_config.hpp"

#include <warden/host.hpp>

#include <cstdint>
#include <string>

namespace graphql_plugin {

/// The service for `config`, its server listening on `port`:
///   * the topic browser: `node server.mjs`, with PORT, LISTEN_ADDRESS,
///     KAFKA_BROKERS (comma-separated), GRAPHQL_PATH,
///     TOPIC_BROWSER_EVENTS_PER_TOPIC, TOPIC_BROWSER_MAX_BYTES and
///     NODE_ENV=production;
///   * a server of the user's: `command args...` with the user's env, PORT
///     and LISTEN_ADDRESS, in working_dir when given.
/// Both stop on SIGTERM (Node's default ends the process at once); the
/// host's default bounds one that will not.
warden::ServiceSpec service_spec(const GraphqlConfig &config, uint32_t port);

}  // namespace graphql_plugin
