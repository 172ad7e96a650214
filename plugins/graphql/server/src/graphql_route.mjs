// The GraphQL route: graphql-http's handler for node:http, with each
// request counted for /metrics by the phase it got to.
//
// graphql-http parses and validates inside its handler without telling
// which step failed, so onSubscribe does those steps itself (with
// graphql's own functions, as the handler would) and hands back either the
// errors or the arguments to execute; onOperation sees the executed
// result.

import { GraphQLError, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

export function createGraphqlRoute({ schema, metrics, log }) {
  const operationOf = new WeakMap();

  const count = (operation, failedIn) => {
    try {
      metrics.countRequest({ ...operation, failedIn });
    } catch (error) {
      log.error(`Error: counting a GraphQL request: ${error.message}`);
    }
  };

  return createHandler({
    schema,
    onSubscribe(req, params) {
      const requested = { operationName: params.operationName ?? null, operationType: 'unknown' };
      let document;
      try {
        document = parse(params.query);
      } catch (error) {
        count(requested, 'parse');
        return [error instanceof GraphQLError ? error : new GraphQLError(error.message)];
      }

      const definition = getOperationAST(document, params.operationName);
      const operation = {
        operationName: params.operationName ?? definition?.name?.value ?? null,
        operationType: definition?.operation ?? 'unknown',
      };
      const errors = validate(schema, document, specifiedRules);
      if (errors.length > 0) {
        count(operation, 'validate');
        return errors;
      }
      if (!definition) {
        // What execute would answer: several operations and no (or an
        // unknown) operationName.
        count(operation, 'execute');
        return [new GraphQLError(params.operationName
          ? `Unknown operation named "${params.operationName}".`
          : 'Must provide operation name if query contains multiple operations.')];
      }

      const args = { schema, document, operationName: params.operationName, variableValues: params.variables };
      operationOf.set(args, operation);
      return args;
    },
    onOperation(req, args, result) {
      count(operationOf.get(args), result.errors?.length ? 'execute' : null);
    },
  });
}
