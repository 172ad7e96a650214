// SPDX-License-Identifier: Apache-2.0
// The GraphQL schema of the topic browser and its resolvers, over an
// EventStore. README.md shows it as SDL with example queries.
//
// The answer is charged to the request's AnswerBudget (the execution
// context's `budget`, see query_cost.mjs) as it is resolved: a field that
// answers objects charges FIELD_BYTES for each field selected on each of
// them (aliases and __typename included) before they are resolved, and a
// field that shows an event's bytes (key, value, their base64, json,
// headers, metadata) charges those bytes before they are decoded. Without
// a budget in the context (direct use of the schema, as in the tests)
// nothing is charged.

import {
  GraphQLBoolean, GraphQLError, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList,
  GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString,
  Kind, defaultFieldResolver, getNamedType, isObjectType, valueFromASTUntyped,
} from 'graphql';
import { MAX_JSON_DEPTH, base64Of, jsonOf, textOf } from './record_text.mjs';

const MAX_TOPICS_LIMIT = 10000;
const MAX_EVENTS_LIMIT = 1000;
export const MAX_META_EXPRESSIONS = 20;
const FIELD_BYTES = 16;

const list = (type) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
const required = (type) => new GraphQLNonNull(type);

const Time = new GraphQLScalarType({
  name: 'Time',
  description: 'A point in time, as an RFC 3339 string in UTC, e.g. "2025-01-31T12:00:00.000Z".',
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue(value) {
    const ms = Date.parse(value);
    if (typeof value !== 'string' || Number.isNaN(ms)) throw clientError('Time must be an RFC 3339 string');
    return ms;
  },
  parseLiteral(ast) {
    const ms = ast.kind === Kind.STRING ? Date.parse(ast.value) : NaN;
    if (Number.isNaN(ms)) throw clientError('Time must be an RFC 3339 string');
    return ms;
  },
});

// jsonOf gives no value nested deeper than MAX_JSON_DEPTH; this check
// makes sure, so that one value can only fail its own field, never the
// writing of the whole answer.
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: object, array, string, number, boolean.',
  serialize(value) {
    if (!nestsWithin(value, MAX_JSON_DEPTH)) {
      throw new GraphQLError(`A JSON value nested deeper than ${MAX_JSON_DEPTH} levels is not given; read value instead.`);
    }
    return value;
  },
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const MetadataKV = new GraphQLObjectType({
  name: 'MetadataKV',
  description: 'A key and its value; a record header, with its value as text.',
  fields: charged({
    key: { type: required(GraphQLString) },
    value: { type: required(GraphQLString) },
  }),
});

const Event = new GraphQLObjectType({
  name: 'Event',
  description: 'One record of a topic, as kept by the browser.',
  fields: charged({
    topic: { type: required(GraphQLString) },
    partition: { type: required(GraphQLInt) },
    offset: { type: required(GraphQLString), description: 'The offset in its partition (a 64-bit number, as text).' },
    producedAt: {
      type: required(Time),
      description: "The record's timestamp; the time the browser consumed it when the record has none, " +
        'or one more than 24 hours ahead of that time.',
      resolve: (event) => event.timestamp,
    },
    headers: {
      type: list(MetadataKV),
      description: 'Header values as UTF-8 text; bytes that are not UTF-8 show as U+FFFD.',
      extensions: { answerBytes: headerBytes },
    },
    key: {
      type: GraphQLString,
      description: 'The key as text; null when there is none or it is not UTF-8 (see keyBase64).',
      resolve: (event) => textOf(event.key, event.truncated),
      extensions: { answerBytes: (event) => lengthOf(event.key) },
    },
    keyBase64: {
      type: GraphQLString,
      resolve: (event) => base64Of(event.key),
      extensions: { answerBytes: (event) => base64LengthOf(event.key) },
    },
    value: {
      type: GraphQLString,
      description: 'The value as text; null for a tombstone or a value that is not UTF-8 (see valueBase64).',
      resolve: (event) => textOf(event.value, event.truncated),
      extensions: { answerBytes: (event) => lengthOf(event.value) },
    },
    valueBase64: {
      type: GraphQLString,
      description: 'The value as base64; null only for a tombstone.',
      resolve: (event) => base64Of(event.value),
      extensions: { answerBytes: (event) => base64LengthOf(event.value) },
    },
    json: {
      type: JSONScalar,
      description: `The value parsed as JSON; null when it is not JSON, is nested deeper than ${MAX_JSON_DEPTH} levels ` +
        'or was cut short (see truncated).',
      resolve: (event) => jsonOf(textOf(event.value, event.truncated))?.value ?? null,
      extensions: { answerBytes: (event) => lengthOf(event.value) },
    },
    truncated: {
      type: required(GraphQLBoolean),
      description: 'True when the key, the value or a header value was longer than TOPIC_BROWSER_MAX_VALUE_BYTES and was cut there.',
    },
    sizeBytes: { type: required(GraphQLInt), description: 'Bytes kept for this event: key, value, header keys and values.', resolve: (event) => event.bytes },
  }),
});

const Topic = new GraphQLObjectType({
  name: 'Topic',
  fields: charged({
    topic: { type: required(GraphQLString), resolve: (entry) => entry.name },
    partitions: { type: GraphQLInt, description: 'Its partition count, from the broker; null until known.' },
    metadata: {
      type: list(MetadataKV),
      description: "The latest event's headers (what TopicFilter.meta matches); empty when no event is kept.",
      resolve: (entry) => latestEvent(entry)?.headers ?? [],
      extensions: { answerBytes: (entry) => (latestEvent(entry) ? headerBytes(latestEvent(entry)) : 0) },
    },
    lastEvent: { type: Event, description: 'The newest kept event.', resolve: latestEvent },
    events: {
      type: list(Event),
      description: 'The kept events, newest first.',
      args: { limit: { type: GraphQLInt, description: `At most this many, 1-${MAX_EVENTS_LIMIT}; all kept when not given.` } },
      resolve: (entry, { limit }) => {
        if (limit !== undefined && limit !== null) checkLimit('limit', limit, MAX_EVENTS_LIMIT);
        return entry.events.slice(-(limit ?? entry.events.length)).reverse();
      },
    },
    eventsKept: { type: required(GraphQLInt), resolve: (entry) => entry.events.length },
    eventsSeen: {
      type: required(GraphQLFloat),
      description: 'Records consumed from it since the browser started (a count; Float because Int is 32 bits).',
    },
    eventsDropped: {
      type: required(GraphQLFloat),
      description: 'Events dropped to keep all kept events under TOPIC_BROWSER_MAX_BYTES.',
    },
    bytesKept: {
      type: required(GraphQLFloat),
      description: "Bytes its kept events and its entry count against TOPIC_BROWSER_MAX_BYTES: keys, values, headers, and JavaScript's overhead.",
    },
  }),
});

const MetaExpr = new GraphQLInputObjectType({
  name: 'MetaExpr',
  description: 'A header the latest event must have: the key, and the value when eq is given.',
  fields: {
    key: { type: required(GraphQLString) },
    eq: { type: GraphQLString },
  },
});

const TopicFilter = new GraphQLInputObjectType({
  name: 'TopicFilter',
  fields: {
    text: { type: GraphQLString, description: 'A part of the topic name, any case.' },
    meta: {
      type: new GraphQLList(new GraphQLNonNull(MetaExpr)),
      description: `Headers of the latest event; all must match. At most ${MAX_META_EXPRESSIONS}.`,
    },
  },
});

export function createSchema(store) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: charged({
        topics: {
          type: list(Topic),
          description: "The broker's topics, but the internal ones (named __*), sorted by name.",
          args: {
            filter: { type: TopicFilter },
            limit: { type: GraphQLInt, defaultValue: 100, description: `1-${MAX_TOPICS_LIMIT}.` },
          },
          resolve: (_, { filter, limit }) => {
            checkLimit('limit', limit, MAX_TOPICS_LIMIT);
            if (filter?.meta && filter.meta.length > MAX_META_EXPRESSIONS) {
              throw clientError(`filter.meta may hold at most ${MAX_META_EXPRESSIONS} entries, not ${filter.meta.length}`);
            }
            return store.topics().filter((entry) => topicMatches(entry, filter)).slice(0, limit);
          },
        },
        topic: {
          type: Topic,
          description: 'One topic by its exact name; null when the browser does not know it.',
          args: { topic: { type: required(GraphQLString) } },
          resolve: (_, { topic }) => store.topic(topic),
        },
      }),
    }),
  });
}

// The fields, their resolvers charging the request's budget: the bytes
// extensions.answerBytes(source) gives, and for the objects answered
// FIELD_BYTES for each field selected on them.
function charged(fields) {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => {
    const resolve = field.resolve ?? defaultFieldResolver;
    const answerBytes = field.extensions?.answerBytes;
    const answersObjects = isObjectType(getNamedType(field.type));
    return [name, {
      ...field,
      resolve(source, args, context, info) {
        const budget = context?.budget;
        if (budget && answerBytes) budget.charge(answerBytes(source));
        const result = resolve(source, args, context, info);
        if (budget && answersObjects && result) {
          budget.charge(FIELD_BYTES * selectedFields(info) * (Array.isArray(result) ? result.length : 1));
        }
        return result;
      },
    }];
  }));
}

// The fields selected on each object a field answers, fragments expanded
// (validation has bounded how many, and ruled out cycles). graphql hands
// every object of a list the same fieldNodes array, so the count is made
// once per list and query.
const selectedFieldCounts = new WeakMap();

function selectedFields(info) {
  let count = selectedFieldCounts.get(info.fieldNodes);
  if (count !== undefined) return count;
  count = 0;
  const visit = (selectionSet) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (info.fragments[selection.name.value]) visit(info.fragments[selection.name.value].selectionSet);
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) visit(node.selectionSet);
  selectedFieldCounts.set(info.fieldNodes, count);
  return count;
}

function lengthOf(bytes) {
  return bytes?.length ?? 0;
}

function base64LengthOf(bytes) {
  return Math.ceil(lengthOf(bytes) / 3) * 4;
}

function headerBytes(event) {
  return event.bytes - lengthOf(event.key) - lengthOf(event.value);
}

function nestsWithin(value, depth) {
  if (value === null || typeof value !== 'object') return true;
  if (depth === 0) return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (!nestsWithin(item, depth - 1)) return false;
  }
  return true;
}

function latestEvent(entry) {
  return entry.events.at(-1) ?? null;
}

// An error in what the client asked (an argument out of its range): counted
// as the client's mistake (phase validate), not the server's trouble.
export const BAD_USER_INPUT = 'BAD_USER_INPUT';
export function clientError(message) {
  return new GraphQLError(message, { extensions: { code: BAD_USER_INPUT } });
}

function checkLimit(name, value, max) {
  if (value === null || value < 1 || value > max) {
    throw clientError(`${name} must be between 1 and ${max}, not ${value}`);
  }
}

export function topicMatches(entry, filter) {
  if (!filter) return true;
  if (filter.text && !entry.name.toLowerCase().includes(filter.text.toLowerCase())) return false;
  if (filter.meta && filter.meta.length > 0) {
    const headers = latestEvent(entry)?.headers ?? [];
    return filter.meta.every(({ key, eq }) =>
      headers.some((header) => header.key === key && (eq === undefined || eq === null || header.value === eq)));
  }
  return true;
}
