// SPDX-License-Identifier: Apache-2.0
// The operationName label of the GraphQL counters.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStore } from '../src/event_store.mjs';
import { BrowserMetrics, MAX_OPERATION_NAMES } from '../src/metrics.mjs';

test('the worker\'s warden_probe keeps its own label after the clients\' names are used up', async () => {
  const store = new EventStore({ eventsPerTopic: 1, maxBytes: 1000, maxValueBytes: 10 });
  const metrics = new BrowserMetrics({ store, kafka: { status: () => ({ ready: true }) } });
  for (let index = 0; index < MAX_OPERATION_NAMES; index += 1) {
    metrics.countRequest({ operationName: `Client${index}`, operationType: 'query', failedIn: null });
  }
  metrics.countRequest({ operationName: 'OneTooMany', operationType: 'query', failedIn: null });
  metrics.countRequest({ operationName: 'warden_probe', operationType: 'query', failedIn: null });
  const text = await metrics.text();
  assert.match(text, /^graphql_envelop_request\{operationName="warden_probe",operationType="query"\} 1$/m);
  assert.match(text, /^graphql_envelop_request\{operationName="other",operationType="query"\} 1$/m);
});
