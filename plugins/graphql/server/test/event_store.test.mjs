// SPDX-License-Identifier: Apache-2.0
// The event store: what is kept per topic, the memory bound, truncation,
// the order events come out in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BUFFER_OVERHEAD_BYTES, EVENT_OVERHEAD_BYTES, EventStore, HEADER_OVERHEAD_BYTES, MAX_FUTURE_MS, TOPIC_OVERHEAD_BYTES,
} from '../src/event_store.mjs';
import { record, records } from './records.mjs';

function newStore(options = {}) {
  return new EventStore({ eventsPerTopic: 3, maxBytes: 1 << 20, maxValueBytes: 1024, ...options });
}

const values = (entry) => entry.events.map((event) => event.value.toString());

// What the bound counts for an event with a value of this many bytes and
// no key or headers.
const valueCost = (bytes) => bytes + EVENT_OVERHEAD_BYTES + BUFFER_OVERHEAD_BYTES;

test('a topic keeps its newest EVENTS_PER_TOPIC events and counts all it saw', () => {
  const store = newStore();
  store.addRecords('orders', 0, records(0, 2));
  store.addRecords('orders', 0, records(2, 5));
  const orders = store.topic('orders');
  assert.deepEqual(values(orders), ['value 4', 'value 5', 'value 6']);
  assert.equal(orders.eventsSeen, 7);
  assert.equal(store.recordsSeen, 7);
  assert.equal(store.eventsKept, 3);
});

test('events are ordered by timestamp across partitions', () => {
  const store = newStore();
  store.addRecords('orders', 1, [record(0, 'p1 late', { timestamp: 3000 })]);
  store.addRecords('orders', 0, [record(0, 'p0 early', { timestamp: 1000 }), record(1, 'p0 mid', { timestamp: 2000 })]);
  assert.deepEqual(values(store.topic('orders')), ['p0 early', 'p0 mid', 'p1 late']);
  store.addRecords('orders', 0, [record(2, 'p0 oldest', { timestamp: 500 })]);
  assert.deepEqual(values(store.topic('orders')), ['p0 early', 'p0 mid', 'p1 late'], 'an older event than all kept is not kept');
});

test('a record without a timestamp is dated when it was consumed', () => {
  const store = newStore();
  store.addRecords('t', 0, [record(0, 'x', { timestamp: -1 })], 1234);
  assert.equal(store.topic('t').events[0].timestamp, 1234);
});

test('a record stamped over a day ahead of its consumption is dated then, and does not stay the newest', () => {
  const store = newStore({ eventsPerTopic: 10 });
  const consumedAt = 1700000000000;
  store.addRecords('t', 0, [
    record(0, 'in microseconds', { timestamp: consumedAt * 1000 }),
    record(1, 'a clock an hour ahead', { timestamp: consumedAt + 3600000 }),
    record(2, 'a clock a day and a second ahead', { timestamp: consumedAt + MAX_FUTURE_MS + 1000 }),
  ], consumedAt);
  assert.deepEqual(store.topic('t').events.map((event) => event.timestamp),
    [consumedAt, consumedAt, consumedAt + 3600000]);
  store.addRecords('t', 0, [record(3, 'later', { timestamp: consumedAt + 7200000 })], consumedAt + 7200000);
  assert.equal(store.topic('t').events.at(-1).value.toString(), 'later');
});

test('keys, values and header values longer than the bound are cut and marked truncated', () => {
  const store = newStore({ eventsPerTopic: 10, maxValueBytes: 4 });
  store.addRecords('t', 0, [
    record(0, 'abcdefgh', { key: 'k' }),
    record(1, 'abc', { key: 'long key' }),
    record(2, 'abc', { headers: { h: Buffer.from('long header') } }),
    record(3, 'abcd', { key: 'kkkk', headers: { h: 'four' } }),
  ]);
  const [cutValue, cutKey, cutHeader, exact] = store.topic('t').events;
  assert.equal(cutValue.value.toString(), 'abcd');
  assert.equal(cutValue.truncated, true);
  assert.equal(cutKey.key.toString(), 'long');
  assert.equal(cutKey.truncated, true);
  assert.deepEqual(cutHeader.headers, [{ key: 'h', value: 'long' }]);
  assert.equal(cutHeader.truncated, true);
  assert.equal(exact.truncated, false);
});

test('headers: repeated keys, strings, buffers and empty values', () => {
  const store = newStore();
  store.addRecords('t', 0, [record(0, 'x', { headers: { a: [Buffer.from('1'), Buffer.from('2')], b: 'text', c: undefined } })]);
  assert.deepEqual(store.topic('t').events[0].headers, [
    { key: 'a', value: '1' }, { key: 'a', value: '2' }, { key: 'b', value: 'text' }, { key: 'c', value: '' },
  ]);
});

test('kept bytes count keys, values and headers, with overheads, and are given back when events go', () => {
  const store = newStore({ eventsPerTopic: 1 });
  store.addRecords('t', 0, [record(0, '12345', { key: 'ab', headers: { hk: 'hv' } })]);
  const cost = 5 + 2 + 4 + EVENT_OVERHEAD_BYTES + 2 * BUFFER_OVERHEAD_BYTES + HEADER_OVERHEAD_BYTES;
  assert.equal(store.bytesKept, TOPIC_OVERHEAD_BYTES + cost);
  assert.equal(store.topic('t').bytesKept, TOPIC_OVERHEAD_BYTES + cost);
  assert.equal(store.topic('t').events[0].bytes, 11, 'sizeBytes stays the bytes themselves');
  store.addRecords('t', 0, [record(1, '1')]);
  assert.equal(store.bytesKept, TOPIC_OVERHEAD_BYTES + valueCost(1));
});

test('many topics of tiny events are bounded by what they cost, not only by their bytes', () => {
  const maxBytes = 100000;
  const store = newStore({ eventsPerTopic: 100, maxBytes });
  for (let topic = 0; topic < 100; topic += 1) store.addRecords(`topic-${topic}`, 0, records(0, 100));
  assert.ok(store.bytesKept <= maxBytes, `${store.bytesKept} bytes counted`);
  // 100 topics' entries, then events of about 400 bytes each.
  const room = Math.floor((maxBytes - 100 * TOPIC_OVERHEAD_BYTES) / valueCost('value 99'.length));
  assert.ok(store.eventsKept <= room, `${store.eventsKept} events kept, room for ${room}`);
  assert.ok(store.eventsKept >= room - 10, `${store.eventsKept} events kept, room for ${room}`);
});

test('over MAX_BYTES the events kept longest are dropped, over all topics', () => {
  const maxBytes = 2 * TOPIC_OVERHEAD_BYTES + 2 * valueCost(40) + 100;
  const store = newStore({ eventsPerTopic: 100, maxBytes });
  store.addRecords('a', 0, [record(0, 'x'.repeat(40))]);
  store.addRecords('b', 0, [record(0, 'y'.repeat(40))]);
  store.addRecords('a', 0, [record(1, 'z'.repeat(40))]);
  assert.equal(store.bytesKept, 2 * TOPIC_OVERHEAD_BYTES + 2 * valueCost(40));
  assert.equal(store.topic('a').events.length, 1);
  assert.equal(store.topic('a').events[0].value.toString()[0], 'z');
  assert.equal(store.topic('a').eventsDropped, 1);
  assert.equal(store.topic('b').events.length, 1);
  assert.equal(store.eventsDropped, 1);
});

test('a topic can lose all its events to the bound and still be listed', () => {
  const store = newStore({ eventsPerTopic: 100, maxBytes: 2 * TOPIC_OVERHEAD_BYTES + valueCost(30) + 50 });
  store.addRecords('quiet', 0, [record(0, 'q'.repeat(30))]);
  store.addRecords('busy', 0, [record(0, 'b'.repeat(30))]);
  assert.equal(store.topic('quiet').events.length, 0);
  assert.equal(store.topic('quiet').eventsSeen, 1);
  assert.deepEqual(store.topics().map((entry) => entry.name), ['busy', 'quiet']);
});

test('an event larger than the whole bound is not kept; its topic stays', () => {
  const store = newStore({ maxBytes: 10 });
  store.addRecords('t', 0, [record(0, 'x'.repeat(11))]);
  assert.equal(store.bytesKept, TOPIC_OVERHEAD_BYTES);
  assert.equal(store.eventsKept, 0);
  assert.equal(store.topic('t').eventsDropped, 1);
});

test('the bound is reported once, the first time it drops an event', () => {
  let reported = 0;
  const store = newStore({ eventsPerTopic: 100, maxBytes: 10, onBoundReached: () => { reported += 1; } });
  for (let offset = 0; offset < 5; offset += 1) store.addRecords('t', 0, [record(offset, 'x'.repeat(6))]);
  assert.equal(reported, 1);
});

test('kept bytes stay bounded under a long run over many topics', () => {
  const store = newStore({ eventsPerTopic: 50, maxBytes: 100000, maxValueBytes: 1000 });
  let offset = 0;
  for (let round = 0; round < 200; round += 1) {
    for (let topic = 0; topic < 20; topic += 1) {
      store.addRecords(`topic-${topic}`, 0, [record(offset, 'v'.repeat(1 + ((round * topic) % 1500)))]);
      offset += 1;
    }
    assert.ok(store.bytesKept <= 100000, `round ${round}: ${store.bytesKept} bytes kept`);
  }
  const counted = store.topics().reduce((sum, entry) =>
    sum + TOPIC_OVERHEAD_BYTES + entry.events.reduce((s, event) => s + event.cost, 0), 0);
  assert.equal(counted, store.bytesKept);
  assert.equal(store.topics().reduce((sum, entry) => sum + entry.bytesKept, 0), store.bytesKept);
  assert.equal(store.topics().reduce((sum, entry) => sum + entry.events.length, 0), store.eventsKept);
});

test('kept values are copies, not slices of the fetched buffer', () => {
  const fetched = Buffer.from('hello world');
  const store = newStore();
  store.addRecords('t', 0, [{ offset: '0', timestamp: '1', key: null, value: fetched.subarray(0, 5), headers: {} }]);
  fetched.write('HELLO');
  assert.equal(store.topic('t').events[0].value.toString(), 'hello');
});

test('setTopics adds the broker topics and forgets those it no longer has', () => {
  const store = newStore();
  store.addRecords('gone', 0, records(0, 2));
  store.setTopics([{ name: 'kept', partitions: 3 }]);
  assert.equal(store.topic('gone'), null);
  assert.equal(store.topic('kept').partitions, 3);
  assert.equal(store.eventsKept, 0);
  assert.equal(store.bytesKept, TOPIC_OVERHEAD_BYTES);
});
