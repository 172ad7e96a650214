// SPDX-License-Identifier: Apache-2.0
// The GraphQL route as a client sees it, on an ephemeral port: requests
// refused before they are read as GraphQL, queries over the bounds, values
// that cannot be written, and how each is counted in /metrics.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { GraphQLObjectType, GraphQLScalarType, GraphQLSchema } from 'graphql';
import { EventStore } from '../src/event_store.mjs';
import { createHttpServer } from '../src/http_server.mjs';
import { silentLog } from '../src/log.mjs';
import { BrowserMetrics } from '../src/metrics.mjs';
import { MAX_QUERY_TOKENS } from '../src/query_cost.mjs';
import { createSchema } from '../src/schema.mjs';
import { record } from './records.mjs';

const kafka = { status: () => ({ ready: true, reason: 'ready' }) };
const servers = [];

async function serve(schema, store, log = silentLog) {
  const metrics = new BrowserMetrics({ store, kafka });
  const server = createHttpServer({ graphqlPath: '/graphql', schema, kafka, metrics, log });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address();
  const base = `http://127.0.0.1:${port}`;
  return {
    // A POST sent chunked, without Content-Length (fetch cannot).
    postChunked(body) {
      return new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST',
          headers: { 'content-type': 'application/json' } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        });
        request.on('error', reject);
        request.write(body);
        request.end();
      });
    },
    async request(path, init = {}) {
      const response = await fetch(`${base}${path}`, init);
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    },
    post(body, headers = {}) {
      return this.request('/graphql', {
        method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
      });
    },
    // The GraphQL counters' samples, without the HELP and TYPE lines.
    async counted() {
      const text = (await this.request('/metrics')).body;
      return text.split('\n').filter((line) => line.startsWith('graphql_envelop_'));
    },
  };
}

const store = new EventStore({ eventsPerTopic: 10, maxBytes: 1 << 30, maxValueBytes: 1 << 20 });
const big = 'v'.repeat(100000);
store.addRecords('big', 0, Array.from({ length: 10 }, (_, offset) => record(offset, big)));
const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
store.addRecords('deep', 0, [record(0, deep), record(1, '{"fine":[1]}')]);
let browser;

before(async () => {
  browser = await serve(createSchema(store), store);
});
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

test('requests refused before they are read as GraphQL are counted as the client\'s parse errors', async () => {
  const unsupported = await browser.request('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ __typename }' });
  assert.equal(unsupported.status, 415);
  const unacceptable = await browser.post({ query: '{ __typename }' }, { accept: 'image/png' });
  assert.equal(unacceptable.status, 406);
  const noQuery = await browser.post({ variables: {} });
  assert.equal(noQuery.status, 400);
  assert.equal(await browser.postChunked('{"query":"{ __typename }"}'), 411);

  const counted = await browser.counted();
  assert.ok(counted.includes('graphql_envelop_request{operationName="Anonymous",operationType="unknown"} 4'), counted.join('\n'));
  assert.ok(counted.includes('graphql_envelop_error_result{operationName="Anonymous",operationType="unknown",phase="parse"} 4'),
    counted.join('\n'));
});

test('a document over MAX_QUERY_TOKENS does not parse', async () => {
  const fields = Array.from({ length: MAX_QUERY_TOKENS }, () => '__typename').join(' ');
  const result = await browser.post({ query: `query Long { ${fields} }` });
  assert.equal(result.status, 200);
  assert.match(JSON.parse(result.body).errors[0].message, /^Syntax Error: Document contains more that 2000 tokens/);
  const counted = await browser.counted();
  assert.ok(counted.some((line) => line.includes('phase="parse"')));
});

test('too many aliases are refused at validation, before any is resolved', async () => {
  const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: topics(limit: 10000) { events { json } }`).join(' ');
  const started = Date.now();
  const result = await browser.post({ query: `query Sixteen { ${aliases} }` });
  assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
  const answer = JSON.parse(result.body);
  assert.equal(answer.data, undefined);
  assert.match(answer.errors[0].message, /^The query asks for more than 10 root fields/);
  assert.ok((await browser.counted()).includes(
    'graphql_envelop_error_result{operationName="Sixteen",operationType="query",phase="validate"} 1'));
});

test('an answer over its budget is one error saying what to ask for, counted as the client\'s', async () => {
  const aliases = Array.from({ length: 4 }, (_, index) => `a${index}: topic(topic: "big") { events { value valueBase64 json } }`);
  const started = Date.now();
  const result = await browser.post({ query: `query Greedy { ${aliases.join(' ')} }` });
  assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
  assert.equal(result.status, 200);
  assert.ok(result.body.length < 1000, `${result.body.length} bytes`);
  const answer = JSON.parse(result.body);
  assert.equal(answer.data, undefined);
  assert.equal(answer.errors.length, 1);
  assert.match(answer.errors[0].message, /^The answer would be over 8388608 bytes, more than one request may take; ask for less: /);
  const counted = await browser.counted();
  assert.ok(counted.includes('graphql_envelop_error_result{operationName="Greedy",operationType="query",phase="validate"} 1'),
    counted.join('\n'));

  const one = await browser.post({ query: '{ topic(topic: "big") { events { value } } }' });
  assert.equal(JSON.parse(one.body).data.topic.events.length, 10, 'the same events, asked for once, fit');
});

test('a JSON value nested too deep stays text; the answer and its other events are whole', async () => {
  const result = await browser.post({ query: '{ topic(topic: "deep") { events { json value } } }' });
  assert.equal(result.status, 200);
  const events = JSON.parse(result.body).data.topic.events;
  assert.deepEqual(events[0], { json: { fine: [1] }, value: '{"fine":[1]}' });
  assert.equal(events[1].json, null);
  assert.equal(events[1].value, deep);
});

test('an answer that cannot be written is a 500 with a JSON error, counted as an execute error, logged on one line', async () => {
  // A scalar that hands JSON.stringify a BigInt, which it refuses.
  const Unwritable = new GraphQLScalarType({ name: 'Unwritable', serialize: () => 1n });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { broken: { type: Unwritable, resolve: () => 1 } } }),
  });
  const lines = [];
  const broken = await serve(schema, store, { info: (line) => lines.push(line), error: (line) => lines.push(line) });
  const result = await broken.post({ query: 'query Broken { broken }' });
  assert.equal(result.status, 500);
  assert.match(result.type, /^application\/json/);
  assert.deepEqual(JSON.parse(result.body), { errors: [{ message: 'The server failed to write this answer.' }] });
  assert.deepEqual(lines, ['graphql: answering a request failed, answered 500: Do not know how to serialize a BigInt']);
  const counted = await broken.counted();
  assert.ok(counted.includes('graphql_envelop_error_result{operationName="Broken",operationType="query",phase="execute"} 1'),
    counted.join('\n'));
});
