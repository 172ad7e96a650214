// SPDX-License-Identifier: Apache-2.0
// The schema's resolvers over a store: topics with filter and limit, one
// topic, and how an event's bytes read (text, base64, JSON).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphql } from 'graphql';
import { EventStore } from '../src/event_store.mjs';
import { createSchema } from '../src/schema.mjs';
import { record } from './records.mjs';

function newStore(options = {}) {
  return new EventStore({ eventsPerTopic: 5, maxBytes: 1 << 20, maxValueBytes: 1024, ...options });
}

async function query(store, source, variableValues) {
  const result = await graphql({ schema: createSchema(store), source, variableValues });
  return JSON.parse(JSON.stringify(result));
}

function storeWithTopics() {
  const store = newStore();
  store.setTopics([{ name: 'Orders', partitions: 3 }, { name: 'empty', partitions: 1 }]);
  store.addRecords('Orders', 0, [record(0, 'o1', { headers: { source: 'shop' } }), record(1, 'o2', { headers: { source: 'shop', region: 'eu' } })]);
  store.addRecords('logs', 0, [record(0, 'l1', { headers: { source: 'api' } })]);
  store.addRecords('audit-orders', 0, [record(0, 'a1', { headers: { region: 'us' } })]);
  return store;
}

test('topics are sorted by name and limited', async () => {
  const store = storeWithTopics();
  const all = await query(store, '{ topics { topic partitions eventsSeen eventsKept } }');
  assert.deepEqual(all.data.topics.map((topic) => topic.topic), ['Orders', 'audit-orders', 'empty', 'logs']);
  assert.deepEqual(all.data.topics[0], { topic: 'Orders', partitions: 3, eventsSeen: 2, eventsKept: 2 });
  assert.equal(all.data.topics[1].partitions, null);
  const two = await query(store, '{ topics(limit: 2) { topic } }');
  assert.deepEqual(two.data.topics.map((topic) => topic.topic), ['Orders', 'audit-orders']);
});

test('a limit out of range is an error naming the range', async () => {
  const store = storeWithTopics();
  for (const limit of [0, 10001]) {
    const result = await query(store, `{ topics(limit: ${limit}) { topic } }`);
    assert.equal(result.errors[0].message, `limit must be between 1 and 10000, not ${limit}`);
  }
  const events = await query(store, '{ topic(topic: "Orders") { events(limit: 1001) { offset } } }');
  assert.equal(events.errors[0].message, 'limit must be between 1 and 1000, not 1001');
});

test('filter.text matches part of the name in any case', async () => {
  const result = await query(storeWithTopics(), '{ topics(filter: { text: "ORDER" }) { topic } }');
  assert.deepEqual(result.data.topics.map((topic) => topic.topic), ['Orders', 'audit-orders']);
});

test("filter.meta matches the latest event's headers, by key and by value", async () => {
  const store = storeWithTopics();
  const byKey = await query(store, '{ topics(filter: { meta: [{ key: "region" }] }) { topic } }');
  assert.deepEqual(byKey.data.topics.map((topic) => topic.topic), ['Orders', 'audit-orders']);
  const byValue = await query(store, '{ topics(filter: { meta: [{ key: "source", eq: "shop" }, { key: "region", eq: "eu" }] }) { topic } }');
  assert.deepEqual(byValue.data.topics.map((topic) => topic.topic), ['Orders']);
  const none = await query(store, '{ topics(filter: { text: "log", meta: [{ key: "source", eq: "shop" }] }) { topic } }');
  assert.deepEqual(none.data.topics, []);
});

test('topic(topic) finds one topic by exact name, or null', async () => {
  const store = storeWithTopics();
  const found = await query(store, '{ topic(topic: "Orders") { topic metadata { key value } lastEvent { value } } }');
  assert.deepEqual(found.data.topic, {
    topic: 'Orders',
    metadata: [{ key: 'source', value: 'shop' }, { key: 'region', value: 'eu' }],
    lastEvent: { value: 'o2' },
  });
  const missing = await query(store, '{ topic(topic: "orders") { topic } }');
  assert.equal(missing.data.topic, null);
  const empty = await query(store, '{ topic(topic: "empty") { lastEvent { value } metadata { key } events { offset } } }');
  assert.deepEqual(empty.data.topic, { lastEvent: null, metadata: [], events: [] });
});

test('events come newest first, as many as asked', async () => {
  const store = newStore();
  store.addRecords('t', 0, [record(0, 'a'), record(1, 'b'), record(2, 'c')]);
  const result = await query(store, '{ topic(topic: "t") { all: events { offset } two: events(limit: 2) { value } } }');
  assert.deepEqual(result.data.topic.all.map((event) => event.offset), ['2', '1', '0']);
  assert.deepEqual(result.data.topic.two.map((event) => event.value), ['c', 'b']);
});

test('an event gives its place, time, key, headers and size', async () => {
  const store = newStore();
  store.addRecords('t', 2, [record('9007199254740993', '{"n":1}', { key: 'k1', headers: { h: 'v' }, timestamp: 1700000000123 })]);
  const result = await query(store, '{ topic(topic: "t") { lastEvent { topic partition offset producedAt key keyBase64 headers { key value } truncated sizeBytes } } }');
  assert.deepEqual(result.data.topic.lastEvent, {
    topic: 't', partition: 2, offset: '9007199254740993', producedAt: '2023-11-14T22:13:20.123Z',
    key: 'k1', keyBase64: 'azE=', headers: [{ key: 'h', value: 'v' }], truncated: false, sizeBytes: 11,
  });
});

test('a JSON value is also given parsed; other text is not', async () => {
  const store = newStore();
  store.addRecords('t', 0, [record(0, '{"n":1,"tags":["a"]}'), record(1, 'plain text'), record(2, '42')]);
  const result = await query(store, '{ topic(topic: "t") { events { value json } } }');
  assert.deepEqual(result.data.topic.events, [
    { value: '42', json: 42 },
    { value: 'plain text', json: null },
    { value: '{"n":1,"tags":["a"]}', json: { n: 1, tags: ['a'] } },
  ]);
});

test('a binary key or value is given as base64 only, a tombstone as null', async () => {
  const store = newStore();
  store.addRecords('t', 0, [
    { offset: '0', timestamp: '1', key: Buffer.from([0xff, 0x00]), value: Buffer.from([0x00, 0xff, 0xfe, 0x01]), headers: {} },
    { offset: '1', timestamp: '2', key: Buffer.from('k'), value: null, headers: {} },
  ]);
  const result = await query(store, '{ topic(topic: "t") { events { key keyBase64 value valueBase64 json } } }');
  assert.deepEqual(result.data.topic.events, [
    { key: 'k', keyBase64: 'aw==', value: null, valueBase64: null, json: null },
    { key: null, keyBase64: '/wA=', value: null, valueBase64: 'AP/+AQ==', json: null },
  ]);
});

test('text cut inside a multi-byte character is still text, without that character', async () => {
  const store = newStore({ maxValueBytes: 4 });
  store.addRecords('t', 0, [record(0, 'abcé')]);
  const result = await query(store, '{ topic(topic: "t") { lastEvent { value truncated valueBase64 } } }');
  assert.deepEqual(result.data.topic.lastEvent, { value: 'abc', truncated: true, valueBase64: 'YWJjww==' });
});

test('the root type is Query', async () => {
  const result = await query(newStore(), '{ __typename }');
  assert.deepEqual(result, { data: { __typename: 'Query' } });
});
