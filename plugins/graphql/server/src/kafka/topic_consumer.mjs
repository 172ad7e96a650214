// SPDX-License-Identifier: Apache-2.0
// The consumer: reads the subscribed topics into the event store.
//
// Each kafkajs consumer it starts has a consumer group of its own (see
// kafka_side.mjs) and never commits, so it moves nobody's offsets and
// shares partitions with nobody.
//
// Where each partition starts is decided when the group is joined:
//
// - a partition read before (by an earlier consumer of this process) goes
//   on from where it was left, so nothing is read twice;
// - a new partition starts EVENTS_PER_TOPIC records before its end, so a
//   restarted browser shows the latest events at once without reading
//   whole topics.
//
// The seek is made in the GROUP_JOIN listener, which kafkajs calls
// synchronously after the join and before the first fetch of the
// assignment; a new partition's end is not known yet at that point, so
// it is paused there, its offsets are looked up, and it is sought and
// resumed. This is sturdier than fromBeginning with records skipped (which
// reads whole topics) and than committing start offsets for the group
// beforehand (which only works while the group has no member, i.e. not
// when kafkajs re-joins after a crash).
//
// kafkajs cannot add topics to a running consumer, so consume() with a new
// topic set stops this consumer and starts a new one, in a new group: a
// broker lets the first member into an empty group after its initial
// rebalance delay (3 s in Redpanda and Kafka), while re-joining the group
// just left can wait for the session timeout (librdkafka's mock broker,
// behind the Redpanda stand-in, waits 9 s).
//
// A consumer that fails to start (connect, subscribe or run throws, or
// none of them ends within START_DEADLINE_MS), that kafkajs stops for good,
// or that restartIfStuck() finds stuck is replaced by a new one after a
// backoff: 1 s, doubled on each failure up to 30 s, back to 1 s once a
// consumer has joined. Meanwhile its state is `crashed` with the error, so
// /ready names it. Starts never overlap: each is a step of #serially, and
// a retry is not scheduled while another is pending or a start is queued.

import { REJOIN_GRACE_MS } from './readiness.mjs';

const MAX_WAIT_MS = 500;
const LOOKUP_RETRY_MS = 1000;
const START_DEADLINE_MS = 30000;
export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 30000;

export class TopicConsumer {
  #kafka;
  #newGroupId;
  #store;
  #eventsPerTopic;
  #lookupOffsets;
  #log;
  #consumer = null;
  #topics = [];
  #positions = new Map();
  #work = Promise.resolve();
  #stopped = false;
  #startsQueued = 0;
  #retryTimer = null;
  #retryDelays;
  #nextRetryMs;

  // lookupOffsets(topic) -> [{ partition, low, high }], e.g. from kafkajs's
  // admin.fetchTopicOffsets. retryDelays: the backoff's first and longest
  // delay (shorter in the tests).
  constructor({
    kafka, newGroupId, store, eventsPerTopic, lookupOffsets, log,
    retryDelays = { firstMs: FIRST_RETRY_MS, maxMs: MAX_RETRY_MS },
  }) {
    this.#kafka = kafka;
    this.#newGroupId = newGroupId;
    this.#store = store;
    this.#eventsPerTopic = eventsPerTopic;
    this.#lookupOffsets = lookupOffsets;
    this.#log = log;
    this.#retryDelays = retryDelays;
    this.#nextRetryMs = retryDelays.firstMs;
    // restarting: crashed, and kafkajs is restarting it itself.
    this.state = { state: 'idle', since: Date.now(), hasRun: false, error: null, restarting: false };
  }

  get topics() {
    return this.#topics;
  }

  // Consume exactly these topics (a new consumer when they differ).
  consume(topics) {
    const askedAt = Date.now();
    const wanted = [...topics].sort();
    this.#topics = wanted;
    this.#cancelRetry();
    // Said at once, so that /ready does not show a consumer that is about
    // to start as idle.
    if (wanted.length > 0 && !this.#stopped) this.#setState('joining');
    this.#startsQueued += 1;
    return this.#serially(async () => {
      try {
        if (this.#stopped || wanted !== this.#topics) return;
        await this.#stopConsumer();
        if (wanted.length > 0) await this.#start(wanted, askedAt);
        else this.#setState('idle');
      } finally {
        this.#startsQueued -= 1;
      }
    });
  }

  stop() {
    this.#stopped = true;
    this.#cancelRetry();
    return this.#serially(async () => {
      await this.#stopConsumer();
      this.#setState('idle');
    });
  }

  // Called with each metadata answer: replaces (after the backoff) a
  // consumer that crashed and that nobody restarts, that kafkajs has been
  // restarting for longer than REJOIN_GRACE_MS, or that has been joining
  // that long with no start under way. True when it does.
  restartIfStuck(now = Date.now()) {
    if (this.#stopped || this.#topics.length === 0 || this.#startsQueued > 0 || this.#retryTimer) return false;
    const { state, since, restarting } = this.state;
    const overdue = now - since > REJOIN_GRACE_MS;
    if (!(state === 'crashed' && (!restarting || overdue)) && !(state === 'joining' && overdue)) return false;
    const delay = this.#scheduleRetry();
    this.#log.error(`kafka: consumer ${state} for ${Math.round((now - since) / 1000)} s; starting a new one in ${delay} ms`);
    return true;
  }

  #serially(step) {
    this.#work = this.#work.then(step).catch((error) => {
      this.#log.error(`kafka: consumer: ${error.message}`);
    });
    return this.#work;
  }

  #setState(state, { error = null, restarting = false, since = Date.now() } = {}) {
    this.state = { state, since, hasRun: this.state.hasRun || state === 'running', error, restarting };
  }

  // -> the delay, or null when a retry is already pending.
  #scheduleRetry() {
    if (this.#retryTimer || this.#stopped) return null;
    const delay = this.#nextRetryMs;
    this.#nextRetryMs = Math.min(delay * 2, this.#retryDelays.maxMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopped && this.#topics.length > 0) this.consume(this.#topics.slice());
    }, delay);
    this.#retryTimer.unref();
    return delay;
  }

  #cancelRetry() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  async #start(topics, askedAt) {
    let timer;
    const deadline = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${START_DEADLINE_MS / 1000} s`)), START_DEADLINE_MS);
      timer.unref();
    });
    const starting = this.#startConsumer(topics, askedAt);
    // A start that loses the race ends on its own, unheard.
    starting.catch(() => {});
    try {
      await Promise.race([starting, deadline]);
    } catch (error) {
      const failed = this.#consumer;
      this.#consumer = null;
      await failed?.disconnect().catch(() => {});
      if (this.#stopped) return;
      this.#setState('crashed', { error: `starting it failed: ${error.message}` });
      const delay = this.#scheduleRetry();
      this.#log.error(`kafka: starting the consumer failed: ${error.message}; trying again in ${delay} ms`);
    } finally {
      clearTimeout(timer);
    }
  }

  async #startConsumer(topics, askedAt) {
    const consumer = this.#kafka.consumer({
      groupId: this.#newGroupId(),
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
      heartbeatInterval: 3000,
      // How long a fetch waits for records: also how long stopping (for a
      // new topic, for SIGTERM) may wait for the fetch in flight.
      maxWaitTimeInMs: MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    this.#setState('joining');

    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (consumer !== this.#consumer) return;
      this.#startPartitions(consumer, payload.memberAssignment);
      this.#setState('running');
      this.#nextRetryMs = this.#retryDelays.firstMs;
      const count = Object.keys(payload.memberAssignment).length;
      this.#log.info(`kafka: consuming ${count} topics, ${Date.now() - askedAt} ms after subscribing`);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (consumer !== this.#consumer) return;
      const error = payload.error?.message ?? String(payload.error);
      if (payload.restart) {
        // kafkajs restarts it: /ready gives it REJOIN_GRACE_MS from the
        // first crash of a row, not from each.
        const since = this.state.state === 'crashed' && this.state.restarting ? this.state.since : Date.now();
        this.#setState('crashed', { error, restarting: true, since });
        return;
      }
      // kafkajs gives up on errors it deems not retriable; this side
      // does not, with a new consumer.
      this.#setState('crashed', { error });
      const delay = this.#scheduleRetry();
      if (delay !== null) this.#log.info(`kafka: consumer stopped for good by kafkajs; starting a new one in ${delay} ms`);
    });

    await consumer.connect();
    // fromBeginning is what kafkajs falls back to when a position is out
    // of range: the topic was deleted and made again, or retention removed
    // records not read yet. Reading from the oldest record then misses
    // nothing; a partition's first start is always sought (above).
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => this.#keepBatch(batch),
    });
  }

  // The state is the caller's to set: `joining` stays while a consumer is
  // replaced, rather than a moment of `idle` (which reads as ready).
  async #stopConsumer() {
    const consumer = this.#consumer;
    if (!consumer) return;
    this.#consumer = null;
    await consumer.disconnect().catch((error) => {
      this.#log.error(`kafka: stopping the consumer: ${error.message}`);
    });
  }

  #keepBatch(batch) {
    const records = batch.messages;
    if (records.length === 0) return;
    try {
      this.#store.addRecords(batch.topic, batch.partition, records);
    } catch (error) {
      this.#log.error(`kafka: keeping records of ${batch.topic}/${batch.partition}: ${error.message}`);
    }
    const next = BigInt(records[records.length - 1].offset) + 1n;
    this.#positions.set(positionKey(batch.topic, batch.partition), next.toString());
  }

  #startPartitions(consumer, assignment) {
    for (const [topic, partitions] of Object.entries(assignment)) {
      const unknown = [];
      for (const partition of partitions) {
        const position = this.#positions.get(positionKey(topic, partition));
        if (position !== undefined) consumer.seek({ topic, partition, offset: position });
        else unknown.push(partition);
      }
      if (unknown.length > 0) {
        consumer.pause([{ topic, partitions: unknown }]);
        this.#startNearEnd(consumer, topic, unknown);
      }
    }
  }

  // Retried while this consumer is the current one: the partitions stay
  // paused until their start is known.
  async #startNearEnd(consumer, topic, partitions) {
    while (consumer === this.#consumer) {
      try {
        const offsets = await this.#lookupOffsets(topic);
        for (const partition of partitions) {
          const found = offsets.find((item) => item.partition === partition);
          if (!found) continue;
          const low = BigInt(found.low);
          const wanted = BigInt(found.high) - BigInt(this.#eventsPerTopic);
          consumer.seek({ topic, partition, offset: (wanted > low ? wanted : low).toString() });
        }
        consumer.resume([{ topic, partitions }]);
        return;
      } catch (error) {
        this.#log.error(`kafka: looking up the end of ${topic}: ${error.message}; trying again`);
        await new Promise((resolve) => setTimeout(resolve, LOOKUP_RETRY_MS).unref());
      }
    }
  }
}

function positionKey(topic, partition) {
  return `${topic}\u0000${partition}`;
}
