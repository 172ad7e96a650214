// SPDX-License-Identifier: Apache-2.0
// The GraphQL route: graphql-http's handler on node:http, with each
// request counted once for /metrics by the phase it got to.
//
// graphql-http parses and validates inside its handler without telling
// which step failed, so onSubscribe does those steps itself (with
// graphql's own functions, as the handler would, and the bounds of
// query_cost.mjs) and hands back either the errors or the arguments to
// execute; onOperation sees the executed result. What they find is noted
// per request and counted once the answer is made. graphql-http's own
// node:http adapter is not used: the route writes the handler's answer
// itself, so that it also counts the requests refused before onSubscribe
// (a bad Content-Type or Accept, no query) and answers one that fails to
// be written with a JSON error rather than an empty 500 and a stack trace.

import { GraphQLError, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { BAD_USER_INPUT } from './schema.mjs';
import { createHandler } from 'graphql-http';
import { AnswerBudget, MAX_QUERY_TOKENS, queryCostRule } from './query_cost.mjs';

// A GraphQL request for this schema is a few hundred bytes; a larger body
// than this is refused before it is read.
const MAX_REQUEST_BYTES = 1048576;

const RULES = [...specifiedRules, queryCostRule];
const REFUSED = { operationName: null, operationType: 'unknown' };

export function createGraphqlRoute({ schema, metrics, log }) {
  // Per node:http request: { operationName, operationType, failedIn }.
  const outcomes = new WeakMap();

  const count = (operation, failedIn) => {
    try {
      metrics.countRequest({ operationName: operation.operationName, operationType: operation.operationType, failedIn });
    } catch (error) {
      log.error(`Error: counting a GraphQL request: ${error.message}`);
    }
  };

  const handle = createHandler({
    schema,
    onSubscribe(request, params) {
      const outcome = { operationName: params.operationName ?? null, operationType: 'unknown', failedIn: null };
      outcomes.set(request.raw, outcome);
      let document;
      try {
        document = parse(params.query, { maxTokens: MAX_QUERY_TOKENS });
      } catch (error) {
        outcome.failedIn = 'parse';
        return [error instanceof GraphQLError ? error : new GraphQLError(error.message)];
      }

      const definition = getOperationAST(document, params.operationName);
      outcome.operationName = params.operationName ?? definition?.name?.value ?? null;
      outcome.operationType = definition?.operation ?? 'unknown';
      const errors = validate(schema, document, RULES);
      if (errors.length > 0) {
        outcome.failedIn = 'validate';
        return errors;
      }
      if (!definition) {
        // What execute would answer: several operations and no (or an
        // unknown) operationName. The client's mistake.
        outcome.failedIn = 'validate';
        return [new GraphQLError(params.operationName
          ? `Unknown operation named "${params.operationName}".`
          : 'Must provide operation name if query contains multiple operations.')];
      }

      return {
        schema,
        document,
        operationName: params.operationName,
        variableValues: params.variables,
        contextValue: { budget: new AnswerBudget() },
      };
    },
    onOperation(request, args, result) {
      const outcome = outcomes.get(request.raw);
      const { budget } = args.contextValue;
      if (budget.exceeded) {
        // The client asked for too much, as with a query that does not
        // validate: one error, no partial data.
        outcome.failedIn = 'validate';
        return { errors: [budget.error()] };
      }
      // Errors only in what the client asked (an argument out of range) are
      // its mistake, as a query that does not validate; any other is the
      // server's.
      const errors = result.errors ?? [];
      const clients = errors.every((error) => error.extensions?.code === BAD_USER_INPUT);
      outcome.failedIn = errors.length === 0 ? null : clients ? 'validate' : 'execute';
      return undefined;
    },
  });

  return async function serveGraphql(req, res) {
    if (req.method === 'POST') {
      const length = Number(req.headers['content-length']);
      if (!req.headers['content-length'] || !Number.isInteger(length)) {
        count(REFUSED, 'parse');
        return sendText(res, 411, 'a POST needs a Content-Length');
      }
      if (length > MAX_REQUEST_BYTES) {
        count(REFUSED, 'parse');
        res.setHeader('Connection', 'close');
        return sendText(res, 413, `request body over ${MAX_REQUEST_BYTES} bytes`);
      }
    }

    let answer;
    try {
      answer = await handle(requestOf(req, res));
    } catch (error) {
      // graphql-http's handler does not throw on any request; what throws
      // is writing the result (JSON.stringify) or a bug. A log line, not a
      // stack trace, and an answer the client can read.
      log.error(`graphql: answering a request failed, answered 500: ${error?.message ?? error}`);
      count(outcomes.get(req) ?? REFUSED, 'execute');
      res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ errors: [{ message: 'The server failed to write this answer.' }] }));
      return;
    }
    const [body, init] = answer;
    const outcome = outcomes.get(req);
    if (outcome) count(outcome, outcome.failedIn);
    else count(REFUSED, init.status >= 400 ? 'parse' : null);
    res.writeHead(init.status, init.statusText, init.headers).end(body);
  };
}

// The request as graphql-http's handler takes it: what its node:http
// adapter makes.
function requestOf(req, res) {
  return {
    url: req.url,
    method: req.method,
    headers: req.headers,
    body: () => new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf-8');
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => resolve(body));
      req.on('error', reject);
    }),
    raw: req,
    context: { res },
  };
}

function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}
