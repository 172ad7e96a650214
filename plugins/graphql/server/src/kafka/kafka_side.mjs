// SPDX-License-Identifier: Apache-2.0
// The Kafka side of the browser: a metadata request every second, which
// finds the broker's topics (and new ones, for the consumer) and tells
// whether the brokers answer; the consumer; and status() for /ready.

import net from 'node:net';
import os from 'node:os';
import crypto from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { unreachableBrokers } from './broker_probe.mjs';
import { createKafkajsLog } from './kafkajs_log.mjs';
import { kafkaReadiness } from './readiness.mjs';
import { TopicConsumer } from './topic_consumer.mjs';

const METADATA_INTERVAL_MS = 1000;

// A group of its own for each consumer this process starts: two browsers
// on one broker each see every partition, and a restarted one does not
// inherit a stale member.
export function uniqueGroupId() {
  return `warden-topic-browser-${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

export function isInternalTopic(name) {
  return name.startsWith('__');
}

export class KafkaSide {
  #config;
  #store;
  #log;
  #kafkajsLog;
  #admin = null;
  #adminConnected = false;
  #consumer = null;
  #timer = null;
  #stopped = false;
  #lastMetadataOkAt = null;
  #metadataError = null;
  #unreachable = [];
  #lastLogged = null;

  constructor({ config, store, log }) {
    this.#config = config;
    this.#store = store;
    this.#log = log;
    this.#kafkajsLog = createKafkajsLog(log);
  }

  start() {
    const kafka = this.#createClient();
    this.#admin = kafka.admin({ retry: { retries: 0 } });
    this.#consumer = new TopicConsumer({
      kafka,
      newGroupId: uniqueGroupId,
      store: this.#store,
      eventsPerTopic: this.#config.eventsPerTopic,
      lookupOffsets: (topic) => this.#admin.fetchTopicOffsets(topic),
      log: this.#log,
    });
    this.#tick();
  }

  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#consumer?.stop();
    await this.#admin?.disconnect().catch(() => {});
  }

  status() {
    return kafkaReadiness({
      now: Date.now(),
      brokers: this.#config.brokers.map((broker) => broker.text),
      lastMetadataOkAt: this.#lastMetadataOkAt,
      metadataError: this.#metadataError,
      unreachable: this.#unreachable,
      consumer: this.#consumer?.state ?? { state: 'idle', since: 0, hasRun: false, error: null, restarting: false },
    });
  }

  // kafkajs reads a seed broker as "host:port" split at the first colon,
  // which an IPv6 address cannot pass; such a seed is given to kafkajs
  // under a stand-in name that the socket factory turns back into the
  // address. Brokers learnt from metadata come as host and port, unsplit.
  #createClient() {
    const seedAddresses = new Map();
    const seeds = this.#config.brokers.map((broker, index) => {
      if (!broker.host.includes(':')) return broker.text;
      const name = `kafka-seed-${index}`;
      seedAddresses.set(name, broker.host);
      return `${name}:${broker.port}`;
    });
    return new Kafka({
      clientId: 'warden-topic-browser',
      brokers: seeds,
      connectionTimeout: 1000,
      requestTimeout: 5000,
      // Short retries: a broker that comes back is used again within
      // seconds, not after kafkajs's default backoff of up to 30 s.
      retry: { initialRetryTime: 200, maxRetryTime: 1000, retries: 5 },
      logLevel: logLevel.WARN,
      logCreator: this.#kafkajsLog.logCreator,
      socketFactory: ({ host, port, onConnect }) => {
        const socket = net.connect({ host: seedAddresses.get(host) ?? host, port }, onConnect);
        socket.setKeepAlive(true, 60000);
        return socket;
      },
    });
  }

  async #tick() {
    try {
      await this.#readMetadata();
    } catch (error) {
      this.#metadataError = error.message;
      this.#adminConnected = false;
      await this.#admin.disconnect().catch(() => {});
      this.#unreachable = await unreachableBrokers(this.#config.brokers);
    }
    if (this.#stopped) return;
    this.#logChange();
    this.#timer = setTimeout(() => this.#tick(), METADATA_INTERVAL_MS);
  }

  async #readMetadata() {
    if (!this.#adminConnected) {
      await this.#admin.connect();
      this.#adminConnected = true;
    }
    const { topics } = await this.#admin.fetchTopicMetadata();
    this.#lastMetadataOkAt = Date.now();
    this.#metadataError = null;
    this.#unreachable = [];

    const visible = topics.filter((topic) => !isInternalTopic(topic.name));
    this.#store.setTopics(visible.map((topic) => ({ name: topic.name, partitions: topic.partitions.length })));

    // A topic the broker no longer has is dropped from the subscription
    // too: kafkajs would otherwise keep naming it in its own metadata
    // requests, and a broker that creates topics on demand would make it
    // again.
    const names = visible.map((topic) => topic.name);
    const subscribed = new Set(this.#consumer.topics);
    const added = names.filter((name) => !subscribed.has(name));
    if (added.length > 0 || names.length !== subscribed.size) {
      const shown = added.slice(0, 10).join(', ') + (added.length > 10 ? ', ...' : '');
      this.#log.info(`kafka: subscribing to ${names.length} topics${added.length > 0 ? ` (new: ${shown})` : ''}`);
      // Not awaited: the metadata requests (and /ready) go on meanwhile.
      this.#consumer.consume(names);
    } else {
      this.#consumer.restartIfStuck();
    }
  }

  #logChange() {
    const { ready, reason } = this.status();
    const line = ready
      ? `kafka: ready: brokers ${this.#config.brokers.map((broker) => broker.text).join(',')}, ${this.#store.topicCount} topics`
      : `kafka: not ready: ${reason}`;
    if (ready === this.#lastLogged?.ready && (ready || reason === this.#lastLogged.reason)) return;
    this.#lastLogged = { ready, reason };
    if (ready) {
      this.#kafkajsLog.forgetRepeats();
      this.#log.info(line);
    } else {
      this.#log.error(line);
    }
  }
}
