// SPDX-License-Identifier: Apache-2.0
// What one GraphQL request may cost, bounded with graphql's own means.
//
// The limits on `topics` and `events` bound one field, but aliases and
// fragments repeat fields: sixteen aliases of topics(limit: 10000) with
// their events' json made a 192 MB answer that held the event loop for
// 15 s. So a request is bounded three times:
//
// - its document: at most MAX_QUERY_TOKENS tokens, or it does not parse;
// - its shape: at most MAX_ROOT_FIELDS fields at the root (aliases
//   included) and MAX_FIELD_SELECTIONS fields in all, fragments expanded,
//   or it does not validate (queryCostRule);
// - its answer: an AnswerBudget in the execution context, charged as the
//   answer is resolved; past MAX_ANSWER_BYTES the request fails with one
//   error saying what to ask for instead.
//
// All three are the client's doing, counted in /metrics in the phases
// parse and validate, not as the server's errors.

import { GraphQLError, Kind } from 'graphql';

export const MAX_QUERY_TOKENS = 2000;
export const MAX_ROOT_FIELDS = 10;
export const MAX_FIELD_SELECTIONS = 500;
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

// A validation rule: each operation's root fields and all its fields, with
// fragments expanded as execution would expand them. A fragment's count is
// kept once made, so the count costs the document's size however often a
// fragment is spread; counting stops past the limit.
export function queryCostRule(context) {
  return {
    OperationDefinition(operation) {
      const roots = countFields(context, operation.selectionSet, { deep: false, cap: MAX_ROOT_FIELDS });
      if (roots > MAX_ROOT_FIELDS) {
        context.reportError(new GraphQLError(
          `The query asks for more than ${MAX_ROOT_FIELDS} root fields (aliases included); ` +
          'ask for fewer, or in several requests.', { nodes: operation }));
      }
      const all = countFields(context, operation.selectionSet, { deep: true, cap: MAX_FIELD_SELECTIONS });
      if (all > MAX_FIELD_SELECTIONS) {
        context.reportError(new GraphQLError(
          `The query selects more than ${MAX_FIELD_SELECTIONS} fields (fragments expanded); ` +
          'ask for fewer fields or aliases, or in several requests.', { nodes: operation }));
      }
      return false;
    },
  };
}

// The fields a selection set selects, up to cap + 1; with deep, those of
// the fields' own selection sets too. A fragment spread in a cycle counts
// nothing here (NoFragmentCyclesRule reports it).
function countFields(context, selectionSet, { deep, cap }) {
  const fragmentCounts = new Map();
  const visiting = new Set();

  const count = (set) => {
    let total = 0;
    for (const selection of set.selections) {
      if (total > cap) break;
      if (selection.kind === Kind.FIELD) {
        total += 1;
        if (deep && selection.selectionSet) total += count(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total += countFragment(selection.name.value);
      }
    }
    return Math.min(total, cap + 1);
  };

  const countFragment = (name) => {
    if (fragmentCounts.has(name)) return fragmentCounts.get(name);
    const fragment = context.getFragment(name);
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const total = count(fragment.selectionSet);
    visiting.delete(name);
    fragmentCounts.set(name, total);
    return total;
  };

  return count(selectionSet);
}

// The bytes an answer may take, charged by the resolvers as they go (see
// schema.mjs for what each field costs). The first charge past the budget
// marks it exceeded and throws; so does every charge after it, so that the
// rest of the execution stops soon. The GraphQL route then answers the
// one error of exceeded() in place of the result.
export class AnswerBudget {
  constructor(maxBytes = MAX_ANSWER_BYTES) {
    this.maxBytes = maxBytes;
    this.bytes = 0;
    this.exceeded = false;
  }

  charge(bytes) {
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) {
      this.exceeded = true;
      throw this.error();
    }
  }

  error() {
    return new GraphQLError(
      `The answer would be over ${this.maxBytes} bytes, more than one request may take; ask for less: ` +
      'a lower limit on topics or events, fewer aliases, one of value, valueBase64 and json rather than ' +
      'several, or one topic at a time with topic(topic: ...).',
      { extensions: { code: 'ANSWER_TOO_LARGE' } });
  }
}
