// SPDX-License-Identifier: Apache-2.0
// /ready's answer for each state the Kafka side can be in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kafkaReadiness } from '../src/kafka/readiness.mjs';

const now = 1000000;
const running = { state: 'running', since: now - 5000, hasRun: true, error: null };

function observed(changes) {
  return {
    now, brokers: ['127.0.0.1:9092', '[::1]:9093'], lastMetadataOkAt: now - 500, metadataError: null,
    unreachable: [], consumer: running, ...changes,
  };
}

test('ready with fresh metadata and a running consumer, or nothing to consume', () => {
  assert.deepEqual(kafkaReadiness(observed({})), { ready: true, reason: 'ready' });
  assert.equal(kafkaReadiness(observed({ consumer: { state: 'idle', since: 0, hasRun: false, error: null } })).ready, true);
});

test('before the first answer: connecting, with the brokers', () => {
  const { ready, reason } = kafkaReadiness(observed({ lastMetadataOkAt: null }));
  assert.equal(ready, false);
  assert.equal(reason, 'connecting to kafka brokers 127.0.0.1:9092,[::1]:9093');
});

test('unreachable brokers are named, each with its error', () => {
  const { ready, reason } = kafkaReadiness(observed({
    lastMetadataOkAt: now - 10000,
    metadataError: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    unreachable: [{ broker: '127.0.0.1:9092', error: 'connect ECONNREFUSED 127.0.0.1:9092' }],
  }));
  assert.equal(ready, false);
  assert.equal(reason, 'kafka brokers unreachable: 127.0.0.1:9092 (connect ECONNREFUSED 127.0.0.1:9092)');
  assert.match(kafkaReadiness(observed({ lastMetadataOkAt: null, unreachable: [{ broker: 'b:1', error: 'e' }] })).reason,
    /^kafka brokers unreachable: b:1 \(e\)$/);
});

test('reachable brokers whose metadata fails or is stale', () => {
  assert.equal(kafkaReadiness(observed({ lastMetadataOkAt: now - 3500, metadataError: 'This server does not host this topic-partition' })).reason,
    'kafka metadata request failed on brokers 127.0.0.1:9092,[::1]:9093: This server does not host this topic-partition');
  assert.equal(kafkaReadiness(observed({ lastMetadataOkAt: now - 3500 })).reason,
    'kafka metadata request failed on brokers 127.0.0.1:9092,[::1]:9093: no answer in the last 3 s');
});

test('a consumer that has not joined yet, or crashed, is not ready', () => {
  const joining = kafkaReadiness(observed({ consumer: { state: 'joining', since: now - 100, hasRun: false, error: null } }));
  assert.deepEqual(joining, { ready: false, reason: 'kafka consumer joining its group on brokers 127.0.0.1:9092,[::1]:9093' });
  const crashed = kafkaReadiness(observed({ consumer: { state: 'crashed', since: now, hasRun: true, error: 'Connection error' } }));
  assert.deepEqual(crashed, { ready: false, reason: 'kafka consumer not running on brokers 127.0.0.1:9092,[::1]:9093: Connection error' });
});

test('a consumer re-joining for new topics stays ready for a while', () => {
  assert.equal(kafkaReadiness(observed({ consumer: { state: 'joining', since: now - 4000, hasRun: true, error: null } })).ready, true);
  assert.equal(kafkaReadiness(observed({ consumer: { state: 'joining', since: now - 11000, hasRun: true, error: null } })).ready, false);
});

test('a consumer kafkajs restarts after a crash stays ready for a while, one nobody restarts does not', () => {
  const crashed = (since, restarting) => ({ state: 'crashed', since, hasRun: true, error: 'Connection error', restarting });
  assert.equal(kafkaReadiness(observed({ consumer: crashed(now - 4000, true) })).ready, true);
  assert.deepEqual(kafkaReadiness(observed({ consumer: crashed(now - 11000, true) })),
    { ready: false, reason: 'kafka consumer not running on brokers 127.0.0.1:9092,[::1]:9093: Connection error' });
  assert.equal(kafkaReadiness(observed({ consumer: crashed(now, false) })).ready, false);
  assert.equal(kafkaReadiness(observed({ consumer: { ...crashed(now, true), hasRun: false } })).ready, false);
  // Brokers gone are said at once, however the consumer is.
  assert.match(kafkaReadiness(observed({
    lastMetadataOkAt: now - 3500, unreachable: [{ broker: '127.0.0.1:9092', error: 'connect ECONNREFUSED' }],
    consumer: crashed(now - 1000, true),
  })).reason, /^kafka brokers unreachable: /);
});
