// SPDX-License-Identifier: Apache-2.0
// The HTTP routes: GRAPHQL_PATH, /health, /ready, /metrics; anything else
// is 404.
//
// `kafka` is anything with status() -> { ready, reason }: the Kafka side
// in the server, a fake in the tests.

import http from 'node:http';
import { createGraphqlRoute } from './graphql_route.mjs';
import { oneLine } from './log.mjs';

const MAX_REASON_LENGTH = 480;

export function createHttpServer({ graphqlPath, schema, kafka, metrics, log }) {
  const graphql = createGraphqlRoute({ schema, metrics, log });

  const routes = {
    [graphqlPath]: { methods: ['GET', 'POST'], handle: graphql },
    '/health': { methods: ['GET', 'HEAD'], handle: (req, res) => sendText(res, 200, 'ok') },
    '/ready': { methods: ['GET', 'HEAD'], handle: (req, res) => serveReady(kafka, res) },
    '/metrics': { methods: ['GET', 'HEAD'], handle: (req, res) => serveMetrics(metrics, res, log) },
  };

  return http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const route = Object.hasOwn(routes, path) ? routes[path] : null;
    if (!route) return sendText(res, 404, 'not found');
    if (!route.methods.includes(req.method)) {
      res.setHeader('Allow', route.methods.join(', '));
      return sendText(res, 405, 'method not allowed');
    }
    return route.handle(req, res);
  });
}

function serveReady(kafka, res) {
  const { ready, reason } = kafka.status();
  if (ready) return sendText(res, 200, 'ready');
  const line = oneLine(reason);
  return sendText(res, 503, line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH)}...` : line);
}

async function serveMetrics(metrics, res, log) {
  try {
    const text = await metrics.text();
    res.writeHead(200, { 'Content-Type': metrics.contentType() }).end(text);
  } catch (error) {
    log.error(`Error: collecting metrics: ${error.message}`);
    sendText(res, 500, 'metrics failed');
  }
}

function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}
