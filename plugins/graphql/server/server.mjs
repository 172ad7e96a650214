// SPDX-License-Identifier: Apache-2.0
// The topic browser: the latest events of a Kafka broker's topics, served
// as GraphQL over HTTP. Configured by the environment only (README.md).
//
//   PORT=8090 KAFKA_BROKERS=127.0.0.1:9092 node server.mjs

import { ConfigError, readConfig } from './src/config.mjs';
import { EventStore } from './src/event_store.mjs';
import { createHttpServer } from './src/http_server.mjs';
import { KafkaSide } from './src/kafka/kafka_side.mjs';
import { createLog } from './src/log.mjs';
import { BrowserMetrics } from './src/metrics.mjs';
import { createSchema } from './src/schema.mjs';

const SHUTDOWN_DEADLINE_MS = 1500;

const log = createLog();

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.error(`Error: ${error.message}`);
  process.exit(2);
}

const brokers = config.brokers.map((broker) => broker.text).join(',');
log.info(`topic browser starting: node ${process.version}, listening on ${config.listenAddress} port ${config.port}, ` +
  `GraphQL at ${config.graphqlPath}, kafka brokers ${brokers}, ${config.eventsPerTopic} events per topic, ` +
  `at most ${config.maxBytes} bytes kept`);

const store = new EventStore({
  eventsPerTopic: config.eventsPerTopic,
  maxBytes: config.maxBytes,
  maxValueBytes: config.maxValueBytes,
  onBoundReached: () => log.info(`kept events reached TOPIC_BROWSER_MAX_BYTES (${config.maxBytes}); ` +
    'from now on the events kept longest are dropped to stay under it'),
});
const kafka = new KafkaSide({ config, store, log });
const metrics = new BrowserMetrics({ store, kafka });
const server = createHttpServer({
  graphqlPath: config.graphqlPath, schema: createSchema(store), kafka, metrics, log,
});

server.on('error', (error) => {
  log.error(`Error: ${error.message}`);
  process.exit(1);
});
server.listen({ host: config.listenAddress, port: config.port }, () => {
  log.info(`topic browser listening on ${config.listenAddress} port ${config.port}`);
  kafka.start();
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log.info(`topic browser stopping (${signal})`);
  setTimeout(() => {
    log.error(`topic browser: not stopped within ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
    process.exit(0);
  }, SHUTDOWN_DEADLINE_MS).unref();
  server.close();
  server.closeAllConnections();
  kafka.stop().finally(() => {
    log.info('topic browser stopped');
    process.exit(0);
  });
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
