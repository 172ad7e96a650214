// SPDX-License-Identifier: Apache-2.0
// The Kafka side's small helpers: kafkajs's log lines, the TCP probe of
// the brokers, which topics are internal.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { logLevel } from 'kafkajs';
import { unreachableBrokers } from '../src/kafka/broker_probe.mjs';
import { createKafkajsLog } from '../src/kafka/kafkajs_log.mjs';
import { isInternalTopic } from '../src/kafka/kafka_side.mjs';

function collectingLog() {
  const lines = [];
  return { lines, info: (line) => lines.push(`out ${line}`), error: (line) => lines.push(`err ${line}`) };
}

test('kafkajs lines are printed once each until forgotten, numbers aside', () => {
  const log = collectingLog();
  const kafkajsLog = createKafkajsLog(log);
  const write = kafkajsLog.logCreator(logLevel.WARN);
  const say = (level, message, extra = {}) => write({ namespace: 'Consumer', level, label: 'X', log: { message, ...extra } });
  say(logLevel.ERROR, 'Restarting the consumer in 812ms');
  say(logLevel.ERROR, 'Restarting the consumer in 1000ms');
  say(logLevel.WARN, 'The group is rebalancing, re-joining', { error: 'The group is rebalancing' });
  say(logLevel.INFO, 'Starting');
  assert.deepEqual(log.lines, [
    'err kafka: Consumer: Restarting the consumer in 812ms',
    'out kafka: Consumer: The group is rebalancing, re-joining: The group is rebalancing',
  ]);
  kafkajsLog.forgetRepeats();
  say(logLevel.ERROR, 'Restarting the consumer in 300ms');
  assert.equal(log.lines.length, 3);
});

test('the probe names each broker that refuses a TCP connection, with the error', async () => {
  const listening = net.createServer((socket) => socket.destroy());
  await new Promise((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const closed = net.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  try {
    const up = { host: '127.0.0.1', port: listening.address().port, text: `127.0.0.1:${listening.address().port}` };
    const down = { host: '127.0.0.1', port: closedPort, text: `127.0.0.1:${closedPort}` };
    assert.deepEqual(await unreachableBrokers([up, down]), [
      { broker: down.text, error: `connect ECONNREFUSED 127.0.0.1:${closedPort}` },
    ]);
    assert.deepEqual(await unreachableBrokers([up]), []);
  } finally {
    listening.close();
  }
});

test('topics named __* are internal', () => {
  assert.equal(isInternalTopic('__consumer_offsets'), true);
  assert.equal(isInternalTopic('_schemas'), false);
  assert.equal(isInternalTopic('orders'), false);
});
