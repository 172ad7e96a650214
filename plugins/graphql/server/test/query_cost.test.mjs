// SPDX-License-Identifier: Apache-2.0
// What one request may cost: the shape rule (root fields, all fields with
// fragments expanded), the answer budget the resolvers charge, the bound
// on filter.meta.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphql, parse, specifiedRules, validate } from 'graphql';
import { EventStore } from '../src/event_store.mjs';
import {
  AnswerBudget, MAX_FIELD_SELECTIONS, MAX_ROOT_FIELDS, queryCostRule,
} from '../src/query_cost.mjs';
import { MAX_META_EXPRESSIONS, createSchema } from '../src/schema.mjs';
import { record } from './records.mjs';

function storeWith(topics, eventsPerTopic, value) {
  const store = new EventStore({ eventsPerTopic, maxBytes: 1 << 30, maxValueBytes: 1 << 20 });
  for (let topic = 0; topic < topics; topic += 1) {
    store.addRecords(`topic-${topic}`, 0, Array.from({ length: eventsPerTopic }, (_, offset) => record(offset, value)));
  }
  return store;
}

const schema = createSchema(storeWith(1, 1, 'x'));
const errorsOf = (source) => validate(schema, parse(source), [...specifiedRules, queryCostRule]).map((error) => error.message);
const aliases = (count, selection) => Array.from({ length: count }, (_, index) => `a${index}: ${selection}`).join(' ');

test('at most MAX_ROOT_FIELDS root fields, aliases and fragments included', () => {
  assert.deepEqual(errorsOf(`{ ${aliases(MAX_ROOT_FIELDS, 'topics { topic }')} }`), []);
  const tooMany = errorsOf(`{ ${aliases(MAX_ROOT_FIELDS + 1, 'topics { topic }')} }`);
  assert.equal(tooMany.length, 1);
  assert.match(tooMany[0], /^The query asks for more than 10 root fields \(aliases included\); ask for fewer/);
  const viaFragment = errorsOf(`{ ...Roots __typename } fragment Roots on Query { ${aliases(MAX_ROOT_FIELDS, '__typename')} }`);
  assert.equal(viaFragment.length, 1);
});

test('at most MAX_FIELD_SELECTIONS fields in all, counted with fragments expanded', () => {
  // 50 fields in a fragment, spread 10 times under one root field, plus
  // the root field and `events`: 502.
  const fragment = `fragment Many on Event { ${aliases(50, 'offset')} }`;
  const spread = (times) => Array.from({ length: times }, () => '...Many').join(' ');
  const query = (times) => `{ topic(topic: "topic-0") { events { ${spread(times)} } } } ${fragment}`;
  assert.deepEqual(errorsOf(query(9)), []);
  const tooMany = errorsOf(query(10));
  assert.equal(tooMany.length, 1);
  assert.match(tooMany[0], new RegExp(`^The query selects more than ${MAX_FIELD_SELECTIONS} fields \\(fragments expanded\\)`));
});

test('fragments spread within fragments are counted without expanding them one by one', () => {
  // Each level doubles: 2^30 fields if expanded, counted in a few steps.
  const levels = Array.from({ length: 30 }, (_, level) => `fragment F${level} on Event { ...F${level + 1} ...F${level + 1} }`);
  const source = `{ topic(topic: "topic-0") { events { ...F0 } } } ${levels.join(' ')} fragment F30 on Event { offset }`;
  const started = Date.now();
  const errors = errorsOf(source);
  assert.ok(Date.now() - started < 200, `${Date.now() - started} ms`);
  assert.ok(errors.some((message) => message.startsWith('The query selects more than')), errors.join('\n'));
});

test('a fragment cycle is reported by graphql, and does not loop the count', () => {
  const errors = errorsOf('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
  assert.ok(errors.some((message) => message.startsWith('Cannot spread fragment')), errors.join('\n'));
});

test('an answer over its budget fails with one error that says what to ask for instead', async () => {
  const store = storeWith(3, 10, 'v'.repeat(1000));
  const run = (source, budget) => graphql({ schema: createSchema(store), source, contextValue: { budget } });

  const small = new AnswerBudget(100000);
  const fits = await run('{ topics { topic events { value } } }', small);
  assert.equal(fits.errors, undefined);
  assert.ok(small.bytes > 30 * 1000 && small.bytes < 40000, `${small.bytes} bytes charged`);

  // Aliases multiply the answer: each counts its bytes.
  const over = new AnswerBudget(100000);
  const result = await run(`{ ${aliases(4, 'topics { events { value valueBase64 json } }')} }`, over);
  assert.equal(over.exceeded, true);
  assert.ok(result.errors.length > 0);
  assert.match(over.error().message, /^The answer would be over 100000 bytes, more than one request may take; ask for less: a lower limit/);
  assert.equal(over.error().extensions.code, 'ANSWER_TOO_LARGE');
});

test('every field selected counts, __typename too, before the objects are resolved', async () => {
  const store = new EventStore({ eventsPerTopic: 1, maxBytes: 1 << 20, maxValueBytes: 10 });
  store.setTopics(Array.from({ length: 1000 }, (_, index) => ({ name: `t${index}`, partitions: 1 })));
  for (const selection of ['topic', '__typename']) {
    const budget = new AnswerBudget(100000);
    const result = await graphql({
      schema: createSchema(store), source: `{ topics(limit: 1000) { ${aliases(50, selection)} } }`, contextValue: { budget },
    });
    assert.equal(budget.exceeded, true, selection);
    assert.equal(result.data, null, selection);
  }
});

test(`filter.meta holds at most ${MAX_META_EXPRESSIONS} entries`, async () => {
  const schemaOf = createSchema(storeWith(1, 1, 'x'));
  const meta = (count) => `[${Array.from({ length: count }, (_, index) => `{ key: "k${index}" }`).join(', ')}]`;
  const fits = await graphql({ schema: schemaOf, source: `{ topics(filter: { meta: ${meta(MAX_META_EXPRESSIONS)} }) { topic } }` });
  assert.equal(fits.errors, undefined);
  const over = await graphql({ schema: schemaOf, source: `{ topics(filter: { meta: ${meta(MAX_META_EXPRESSIONS + 1)} }) { topic } }` });
  assert.equal(over.errors[0].message, 'filter.meta may hold at most 20 entries, not 21');
});
