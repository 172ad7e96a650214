// SPDX-License-Identifier: Apache-2.0
// The consumer's life over a fake kafkajs: a start that fails is retried
// with a backoff and shows as crashed meanwhile; a consumer stuck joining
// is replaced; a crash kafkajs restarts itself keeps its first time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStore } from '../src/event_store.mjs';
import { TopicConsumer } from '../src/kafka/topic_consumer.mjs';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

// A kafkajs stand-in. failures.connect(n) / .subscribe(n) throw for the
// n-th consumer made (from 0) when they return an error; joins(n) says
// whether run() joins the group. overlapped: a consumer was made while
// the one before was not disconnected.
function fakeKafka({ failures = {}, joins = () => true } = {}) {
  const made = [];
  return {
    made,
    overlapped: false,
    consumer() {
      const index = made.length;
      if (index > 0 && !made[index - 1].disconnected) this.overlapped = true;
      const listeners = new Map();
      const consumer = {
        events: EVENTS,
        disconnected: false,
        on: (event, listener) => listeners.set(event, listener),
        emit: (event, payload) => listeners.get(event)?.({ payload }),
        async connect() {
          const error = failures.connect?.(index);
          if (error) throw error;
        },
        async subscribe() {
          const error = failures.subscribe?.(index);
          if (error) throw error;
        },
        async run() {
          if (joins(index)) consumer.emit(EVENTS.GROUP_JOIN, { memberAssignment: {} });
        },
        async disconnect() {
          consumer.disconnected = true;
        },
      };
      made.push(consumer);
      return consumer;
    },
  };
}

function collectingLog() {
  const lines = [];
  return { lines, info: (line) => lines.push(line), error: (line) => lines.push(line) };
}

function newConsumer(kafka, log = collectingLog(), retryDelays = { firstMs: 20, maxMs: 80 }) {
  return new TopicConsumer({
    kafka,
    newGroupId: () => 'group',
    store: new EventStore({ eventsPerTopic: 1, maxBytes: 1000, maxValueBytes: 10 }),
    eventsPerTopic: 1,
    lookupOffsets: async () => [],
    log,
    retryDelays,
  });
}

async function waitFor(condition, what, deadlineMs = 800) {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`not ${what} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test('a consumer that fails to start is crashed with the error, then started again', async () => {
  const refused = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
  const kafka = fakeKafka({ failures: { connect: (index) => (index === 0 ? refused : null) } });
  const log = collectingLog();
  const consumer = newConsumer(kafka, log);
  await consumer.consume(['orders']);
  assert.equal(consumer.state.state, 'crashed');
  assert.equal(consumer.state.error, `starting it failed: ${refused.message}`);
  assert.equal(kafka.made[0].disconnected, true);
  assert.deepEqual(log.lines, [`kafka: starting the consumer failed: ${refused.message}; trying again in 20 ms`]);

  await waitFor(() => consumer.state.state === 'running', 'running');
  assert.equal(kafka.made.length, 2);
  await consumer.stop();
});

test('failed starts are retried with a growing backoff, never two at once', async () => {
  const startedAt = [];
  const kafka = fakeKafka({
    failures: {
      subscribe: (index) => {
        startedAt.push(Date.now());
        return index < 4 ? new Error('This server does not host this topic-partition') : null;
      },
    },
  });
  const consumer = newConsumer(kafka);
  const first = Date.now();
  consumer.consume(['orders']);
  assert.equal(consumer.restartIfStuck(Date.now() + 60000), false, 'a start is under way');
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(consumer.restartIfStuck(Date.now() + 60000), false, 'a retry is pending');
  await waitFor(() => consumer.state.state === 'running', 'running');
  assert.equal(kafka.made.length, 5);
  assert.equal(kafka.overlapped, false);
  // 20, 40, 80, 80 ms apart (timers may fire late, never early).
  const gaps = startedAt.slice(1).map((at, index) => at - startedAt[index]);
  for (const [index, least] of [20, 40, 80, 80].entries()) {
    assert.ok(gaps[index] >= least - 2, `gaps ${gaps.join(', ')} ms after ${startedAt[0] - first} ms`);
  }
  await consumer.stop();
});

test('a consumer joining for longer than the grace, with no start under way, is replaced', async () => {
  const kafka = fakeKafka({ joins: (index) => index > 0 });
  const log = collectingLog();
  const consumer = newConsumer(kafka, log);
  await consumer.consume(['orders']);
  assert.equal(consumer.state.state, 'joining');
  assert.equal(consumer.restartIfStuck(consumer.state.since + 5000), false, 'within the grace');
  assert.equal(consumer.restartIfStuck(consumer.state.since + 11000), true);
  assert.equal(consumer.restartIfStuck(consumer.state.since + 11000), false, 'a restart is already pending');
  await waitFor(() => consumer.state.state === 'running', 'running');
  assert.equal(kafka.made.length, 2);
  assert.equal(kafka.made[0].disconnected, true);
  assert.equal(log.lines[0], 'kafka: consumer joining for 11 s; starting a new one in 20 ms');
  assert.match(log.lines[1], /^kafka: consuming 0 topics, [0-9]+ ms after subscribing$/);
  await consumer.stop();
});

test('crashes kafkajs restarts itself keep the time of the first; one it gives up on is replaced', async () => {
  const kafka = fakeKafka();
  const consumer = newConsumer(kafka);
  await consumer.consume(['orders']);
  const [first] = kafka.made;
  first.emit(EVENTS.CRASH, { error: new Error('The group is rebalancing'), restart: true });
  const { since } = consumer.state;
  assert.deepEqual({ ...consumer.state, since: 0 },
    { state: 'crashed', since: 0, hasRun: true, error: 'The group is rebalancing', restarting: true });
  await new Promise((resolve) => setTimeout(resolve, 5));
  first.emit(EVENTS.CRASH, { error: new Error('Connection error'), restart: true });
  assert.equal(consumer.state.since, since);
  assert.equal(consumer.state.error, 'Connection error');
  assert.equal(consumer.restartIfStuck(since + 5000), false, 'kafkajs is restarting it');
  assert.equal(kafka.made.length, 1);

  first.emit(EVENTS.CRASH, { error: new Error('Not authorized'), restart: false });
  assert.equal(consumer.state.restarting, false);
  await waitFor(() => kafka.made.length === 2 && consumer.state.state === 'running', 'replaced');
  await consumer.stop();
});

test('no topics left after a failed start: idle, not crashed, and no retry', async () => {
  const kafka = fakeKafka({ failures: { connect: () => new Error('Connection error') } });
  const consumer = newConsumer(kafka);
  await consumer.consume(['orders']);
  assert.equal(consumer.state.state, 'crashed');
  await consumer.consume([]);
  assert.equal(consumer.state.state, 'idle');
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(kafka.made.length, 1);
  await consumer.stop();
});
