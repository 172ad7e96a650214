// SPDX-License-Identifier: Apache-2.0
// /metrics: prom-client's default process metrics, the GraphQL request
// counters, and the topic browser's own gauges and counter.
//
// The GraphQL counters have the names and labels of
// @graphql-yoga/plugin-prometheus, so the worker reads this server as it
// reads a yoga one. operationName comes from the client: past
// MAX_OPERATION_NAMES distinct values (or a name no GraphQL operation can
// have) it is counted as `other`, so requests cannot grow the registry.
// The worker's own probe, `warden_probe`, is always its own name: the
// worker tells its requests from the clients' by it.

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export const MAX_OPERATION_NAMES = 100;
export const PROBE_OPERATION_NAME = 'warden_probe';

// prom-client's defaults, less the two that cost most of a scrape (the
// worker reads /metrics every second): nodejs_eventloop_lag_seconds waits a
// turn of the event loop to measure it (about 0.4 ms; the lag's histogram,
// nodejs_eventloop_lag_p99_seconds and its kin, stays), and the active
// resources walk every handle and request (about 0.1 ms).
const COSTLY_DEFAULTS = ['nodejs_eventloop_lag_seconds', 'nodejs_active_resources',
  'nodejs_active_resources_total'];
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;

export class BrowserMetrics {
  #operationNames = new Set();

  constructor({ store, kafka }) {
    this.registry = new Registry();
    collectDefaultMetrics({ register: this.registry });
    for (const name of COSTLY_DEFAULTS) this.registry.removeSingleMetric(name);

    this.requests = new Counter({
      name: 'graphql_envelop_request',
      help: 'Counts the amount of GraphQL requests executed through Envelop',
      labelNames: ['operationName', 'operationType'],
      registers: [this.registry],
    });
    this.errorResults = new Counter({
      name: 'graphql_envelop_error_result',
      help: 'Counts the amount of errors reported from all phases',
      labelNames: ['operationName', 'operationType', 'phase'],
      registers: [this.registry],
    });

    const registers = [this.registry];
    new Gauge({
      name: 'topic_browser_topics', help: 'Topics the browser knows', registers,
      collect() { this.set(store.topicCount); },
    });
    new Gauge({
      name: 'topic_browser_events_kept', help: 'Events kept over all topics', registers,
      collect() { this.set(store.eventsKept); },
    });
    new Gauge({
      name: 'topic_browser_bytes_kept', help: 'Bytes the kept events count against TOPIC_BROWSER_MAX_BYTES (keys, values, headers, overheads)', registers,
      collect() { this.set(store.bytesKept); },
    });
    let counted = 0;
    new Counter({
      name: 'topic_browser_records_consumed_total', help: 'Records consumed from Kafka since start', registers,
      collect() {
        this.inc(store.recordsSeen - counted);
        counted = store.recordsSeen;
      },
    });
    new Gauge({
      name: 'topic_browser_kafka_ready', help: '1 when /ready answers ready, else 0', registers,
      collect() { this.set(kafka.status().ready ? 1 : 0); },
    });
  }

  // One GraphQL request, executed or failed; `failedIn` is the phase whose
  // errors the result carries (parse, validate, context, execute) or null.
  countRequest({ operationName, operationType, failedIn }) {
    const labels = { operationName: this.#boundedName(operationName), operationType };
    this.requests.inc(labels);
    if (failedIn) this.errorResults.inc({ ...labels, phase: failedIn });
  }

  #boundedName(name) {
    if (!name) return 'Anonymous';
    if (name === PROBE_OPERATION_NAME || this.#operationNames.has(name)) return name;
    if (!GRAPHQL_NAME.test(name) || this.#operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.#operationNames.add(name);
    return name;
  }

  contentType() {
    return this.registry.contentType;
  }

  text() {
    return this.registry.metrics();
  }
}
