// SPDX-License-Identifier: Apache-2.0
// The HTTP layer on an ephemeral port, with a store and a fake Kafka side:
// each route's answer as a client sees it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStore } from '../src/event_store.mjs';
import { createHttpServer } from '../src/http_server.mjs';
import { oneLine, silentLog } from '../src/log.mjs';
import { BrowserMetrics, MAX_OPERATION_NAMES } from '../src/metrics.mjs';
import { createSchema } from '../src/schema.mjs';
import { record } from './records.mjs';

const kafka = { answer: { ready: true, reason: 'ready' }, status() { return this.answer; } };
const store = new EventStore({ eventsPerTopic: 10, maxBytes: 1 << 20, maxValueBytes: 1024 });
store.addRecords('orders', 0, [record(0, '{"n":1}', { headers: { source: 'shop' } })]);
const metrics = new BrowserMetrics({ store, kafka });
const server = createHttpServer({ graphqlPath: '/graphql', schema: createSchema(store), kafka, metrics, log: silentLog });
let base;

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

async function get(path) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

async function post(body, path = '/graphql') {
  const response = await fetch(`${base}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

test('/health answers ok', async () => {
  assert.deepEqual(await get('/health'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok' });
});

test('/ready answers ready, or 503 with the reason on one short line', async () => {
  kafka.answer = { ready: true, reason: 'ready' };
  assert.deepEqual(await get('/ready'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ready' });

  kafka.answer = { ready: false, reason: 'kafka brokers unreachable: 127.0.0.1:9092 (connect ECONNREFUSED 127.0.0.1:9092)' };
  const down = await get('/ready');
  assert.equal(down.status, 503);
  assert.equal(down.body, 'kafka brokers unreachable: 127.0.0.1:9092 (connect ECONNREFUSED 127.0.0.1:9092)');

  kafka.answer = { ready: false, reason: `connecting to kafka brokers ${'b:1,'.repeat(300)}\n\u0007more` };
  const long = await get('/ready');
  assert.equal(long.status, 503);
  assert.ok(long.body.length < 500, `${long.body.length} bytes`);
  assert.doesNotMatch(long.body, /[\u0000-\u001f]/);
  kafka.answer = { ready: true, reason: 'ready' };
});

test('{ __typename } answers exactly {"data":{"__typename":"Query"}}, by POST and by GET', async () => {
  assert.deepEqual(await post({ query: '{ __typename }' }), { status: 200, body: '{"data":{"__typename":"Query"}}' });
  const viaGet = await get(`/graphql?query=${encodeURIComponent('{ __typename }')}`);
  assert.equal(viaGet.status, 200);
  assert.equal(viaGet.body, '{"data":{"__typename":"Query"}}');
});

test('a query reads the store', async () => {
  const result = await post({ query: '{ topics { topic lastEvent { json headers { key value } } } }' });
  assert.deepEqual(JSON.parse(result.body), {
    data: { topics: [{ topic: 'orders', lastEvent: { json: { n: 1 }, headers: [{ key: 'source', value: 'shop' }] } }] },
  });
});

test('other paths are 404, other methods 405', async () => {
  assert.equal((await get('/')).status, 404);
  assert.equal((await get('/graphql/x')).status, 404);
  assert.equal((await get('/healthz')).status, 404);
  const response = await fetch(`${base}/health`, { method: 'POST', body: 'x' });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'GET, HEAD');
});

test('a POST body over 1 MiB is refused unread', async () => {
  const result = await post({ query: `{ __typename } #${'x'.repeat(1048576)}` });
  assert.equal(result.status, 413);
});

function series(text, name) {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

test('/metrics counts requests and errors by operation and phase', async () => {
  // Earlier tests' requests (the refused 1 MiB POST) are counted too.
  const refused = 'operationName="Anonymous",operationType="unknown"';
  const valueOf = (lines, labels) => Number(lines.find((line) => line.includes(`{${labels}`))?.split(' ')[1] ?? 0);
  const earlier = (await get('/metrics')).body;
  const refusedBefore = valueOf(series(earlier, 'graphql_envelop_request'), refused);
  const parseErrorsBefore = valueOf(series(earlier, 'graphql_envelop_error_result'), `${refused},phase="parse"`);
  await post({ query: 'query ListTopics { topics { topic } }' });
  await post({ query: 'query Named { topics { topic } } query Other { __typename }', operationName: 'Other' });
  await post({ query: '{ topics(' });
  await post({ query: 'query Bad { nosuchfield }' });
  await post({ query: 'query Limits { topics(limit: 0) { topic } }' });
  const { status, type, body } = await get('/metrics');
  assert.equal(status, 200);
  assert.match(type, /^text\/plain/);
  const requests = series(body, 'graphql_envelop_request');
  assert.ok(requests.includes('graphql_envelop_request{operationName="ListTopics",operationType="query"} 1'), requests.join('\n'));
  assert.ok(requests.includes('graphql_envelop_request{operationName="Other",operationType="query"} 1'), requests.join('\n'));
  assert.ok(requests.includes(`graphql_envelop_request{${refused}} ${refusedBefore + 1}`), requests.join('\n'));
  const errors = series(body, 'graphql_envelop_error_result');
  assert.ok(errors.includes(`graphql_envelop_error_result{${refused},phase="parse"} ${parseErrorsBefore + 1}`), errors.join('\n'));
  assert.ok(errors.includes('graphql_envelop_error_result{operationName="Bad",operationType="query",phase="validate"} 1'), errors.join('\n'));
  assert.ok(errors.includes('graphql_envelop_error_result{operationName="Limits",operationType="query",phase="validate"} 1'), errors.join('\n'));
  assert.equal(errors.filter((line) => line.includes('ListTopics')).length, 0);

  for (const name of ['topic_browser_topics', 'topic_browser_events_kept', 'topic_browser_bytes_kept',
    'topic_browser_records_consumed_total', 'topic_browser_kafka_ready', 'process_resident_memory_bytes']) {
    assert.equal(series(body, name).length, 1, `${name} in\n${body}`);
  }
  assert.deepEqual(series(body, 'topic_browser_events_kept'), ['topic_browser_events_kept 1']);
  assert.deepEqual(series(body, 'topic_browser_records_consumed_total'), ['topic_browser_records_consumed_total 1']);
  assert.deepEqual(series(body, 'topic_browser_kafka_ready'), ['topic_browser_kafka_ready 1']);
});

test('operationName labels are bounded: past the limit, and names no operation can have, are "other"', async () => {
  for (let index = 0; index < MAX_OPERATION_NAMES + 20; index += 1) {
    metrics.countRequest({ operationName: `Op${index}`, operationType: 'query', failedIn: null });
  }
  metrics.countRequest({ operationName: 'bad name\n', operationType: 'query', failedIn: 'parse' });
  const body = (await get('/metrics')).body;
  const names = new Set(series(body, 'graphql_envelop_request').map((line) => /operationName="([^"]*)"/.exec(line)[1]));
  // The bounded names, and Anonymous and other.
  assert.ok(names.size <= MAX_OPERATION_NAMES + 2, `${names.size} names`);
  assert.ok(names.has('other'));
  assert.ok(series(body, 'graphql_envelop_error_result').some((line) => line.includes('operationName="other"')));
});

test('a log line never spans lines', () => {
  assert.equal(oneLine('Error: one\n  at two\r\n\tthree'), 'Error: one at two three');
});
