// SPDX-License-Identifier: Apache-2.0
// The environment as read at start: defaults, and the one-line error for
// each kind of bad value.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from '../src/config.mjs';

const minimal = { PORT: '8090', KAFKA_BROKERS: '127.0.0.1:9092' };

function errorFor(env) {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

test('defaults apply when only PORT and KAFKA_BROKERS are set', () => {
  const config = readConfig(minimal);
  assert.equal(config.port, 8090);
  assert.equal(config.listenAddress, '127.0.0.1');
  assert.equal(config.graphqlPath, '/graphql');
  assert.equal(config.eventsPerTopic, 10);
  assert.equal(config.maxBytes, 67108864);
  assert.equal(config.maxValueBytes, 1048576);
  assert.deepEqual(config.brokers, [{ host: '127.0.0.1', port: 9092, text: '127.0.0.1:9092' }]);
});

test('brokers are a comma-separated list, IPv6 in brackets', () => {
  const config = readConfig({ ...minimal, KAFKA_BROKERS: 'kafka-1:9092, [::1]:19092,10.0.0.5:9093' });
  assert.deepEqual(config.brokers.map((broker) => [broker.host, broker.port, broker.text]), [
    ['kafka-1', 9092, 'kafka-1:9092'],
    ['::1', 19092, '[::1]:19092'],
    ['10.0.0.5', 9093, '10.0.0.5:9093'],
  ]);
});

test('every variable can be set', () => {
  const config = readConfig({
    ...minimal, LISTEN_ADDRESS: '::', GRAPHQL_PATH: '/api/graphql', TOPIC_BROWSER_EVENTS_PER_TOPIC: '1000',
    TOPIC_BROWSER_MAX_BYTES: '1048576', TOPIC_BROWSER_MAX_VALUE_BYTES: '100',
  });
  assert.equal(config.listenAddress, '::');
  assert.equal(config.graphqlPath, '/api/graphql');
  assert.equal(config.eventsPerTopic, 1000);
  assert.equal(config.maxBytes, 1048576);
  assert.equal(config.maxValueBytes, 100);
});

test('a missing or bad variable names itself, what is wrong and what it must be', () => {
  assert.equal(errorFor({ KAFKA_BROKERS: 'a:1' }), 'PORT: not set; it must be the TCP port to listen on, 1-65535');
  assert.equal(errorFor({ ...minimal, PORT: '65536' }), 'PORT: 65536 is out of range; it must be 1-65535');
  assert.equal(errorFor({ ...minimal, PORT: '80x' }), 'PORT: "80x" is not a whole number; it must be 1-65535');
  assert.match(errorFor({ PORT: '1' }), /^KAFKA_BROKERS: not set; it must be a comma-separated list of host:port/);
  assert.match(errorFor({ ...minimal, KAFKA_BROKERS: '::1:9092' }), /^KAFKA_BROKERS: "::1:9092" is not host:port; /);
  assert.match(errorFor({ ...minimal, KAFKA_BROKERS: 'a:1,,b:2' }), /^KAFKA_BROKERS: "" is not host:port; /);
  assert.match(errorFor({ ...minimal, KAFKA_BROKERS: 'a:0' }), /^KAFKA_BROKERS: "a:0" is not host:port; /);
  assert.equal(errorFor({ ...minimal, TOPIC_BROWSER_EVENTS_PER_TOPIC: '1001' }),
    'TOPIC_BROWSER_EVENTS_PER_TOPIC: 1001 is out of range; it must be 1-1000');
  assert.match(errorFor({ ...minimal, TOPIC_BROWSER_MAX_BYTES: '-5' }), /^TOPIC_BROWSER_MAX_BYTES: "-5" is not a whole number/);
  assert.match(errorFor({ ...minimal, TOPIC_BROWSER_MAX_VALUE_BYTES: '0' }), /^TOPIC_BROWSER_MAX_VALUE_BYTES: 0 is out of range/);
  assert.match(errorFor({ ...minimal, GRAPHQL_PATH: 'graphql' }), /^GRAPHQL_PATH: "graphql" is not a URL path; /);
  assert.match(errorFor({ ...minimal, GRAPHQL_PATH: '/metrics' }), /^GRAPHQL_PATH: \/metrics is taken by the browser's own route/);
  assert.match(errorFor({ ...minimal, LISTEN_ADDRESS: '[::1]' }), /^LISTEN_ADDRESS: "\[::1\]" is not an address; /);
});

test('an error message stays one line, however long the value', () => {
  const message = errorFor({ ...minimal, PORT: `1\n${'9'.repeat(500)}` });
  assert.ok(!message.includes('\n'), message);
  assert.ok(message.length < 200, message);
});
