// The GraphQL schema of the topic browser and its resolvers, over an
// EventStore. README.md shows it as SDL with example queries.

import {
  GraphQLBoolean, GraphQLError, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList,
  GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString,
  Kind, valueFromASTUntyped,
} from 'graphql';
import { base64Of, jsonOf, textOf } from './record_text.mjs';

const MAX_TOPICS_LIMIT = 10000;
const MAX_EVENTS_LIMIT = 1000;

const list = (type) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
const required = (type) => new GraphQLNonNull(type);

const Time = new GraphQLScalarType({
  name: 'Time',
  description: 'A point in time, as an RFC 3339 string in UTC, e.g. "2025-01-31T12:00:00.000Z".',
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue(value) {
    const ms = Date.parse(value);
    if (typeof value !== 'string' || Number.isNaN(ms)) throw new GraphQLError('Time must be an RFC 3339 string');
    return ms;
  },
  parseLiteral(ast) {
    const ms = ast.kind === Kind.STRING ? Date.parse(ast.value) : NaN;
    if (Number.isNaN(ms)) throw new GraphQLError('Time must be an RFC 3339 string');
    return ms;
  },
});

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: object, array, string, number, boolean.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const MetadataKV = new GraphQLObjectType({
  name: 'MetadataKV',
  description: 'A key and its value; a record header, with its value as text.',
  fields: {
    key: { type: required(GraphQLString) },
    value: { type: required(GraphQLString) },
  },
});

const Event = new GraphQLObjectType({
  name: 'Event',
  description: 'One record of a topic, as kept by the browser.',
  fields: {
    topic: { type: required(GraphQLString) },
    partition: { type: required(GraphQLInt) },
    offset: { type: required(GraphQLString), description: 'The offset in its partition (a 64-bit number, as text).' },
    producedAt: {
      type: required(Time),
      description: "The record's timestamp; when it has none, the time the browser consumed it.",
      resolve: (event) => event.timestamp,
    },
    headers: { type: list(MetadataKV), description: 'Header values as UTF-8 text; bytes that are not UTF-8 show as U+FFFD.' },
    key: {
      type: GraphQLString,
      description: 'The key as text; null when there is none or it is not UTF-8 (see keyBase64).',
      resolve: (event) => textOf(event.key, event.truncated),
    },
    keyBase64: { type: GraphQLString, resolve: (event) => base64Of(event.key) },
    value: {
      type: GraphQLString,
      description: 'The value as text; null for a tombstone or a value that is not UTF-8 (see valueBase64).',
      resolve: (event) => textOf(event.value, event.truncated),
    },
    valueBase64: { type: GraphQLString, description: 'The value as base64; null only for a tombstone.', resolve: (event) => base64Of(event.value) },
    json: {
      type: JSONScalar,
      description: 'The value parsed as JSON; null when it is not JSON (or cut short: see truncated).',
      resolve: (event) => jsonOf(textOf(event.value, event.truncated))?.value ?? null,
    },
    truncated: {
      type: required(GraphQLBoolean),
      description: 'True when the key, the value or a header value was longer than TOPIC_BROWSER_MAX_VALUE_BYTES and was cut there.',
    },
    sizeBytes: { type: required(GraphQLInt), description: 'Bytes kept for this event: key, value, header keys and values.', resolve: (event) => event.bytes },
  },
});

const Topic = new GraphQLObjectType({
  name: 'Topic',
  fields: {
    topic: { type: required(GraphQLString), resolve: (entry) => entry.name },
    partitions: { type: GraphQLInt, description: 'Its partition count, from the broker; null until known.' },
    metadata: {
      type: list(MetadataKV),
      description: "The latest event's headers (what TopicFilter.meta matches); empty when no event is kept.",
      resolve: (entry) => latestEvent(entry)?.headers ?? [],
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
    bytesKept: { type: required(GraphQLFloat) },
  },
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
    meta: { type: new GraphQLList(new GraphQLNonNull(MetaExpr)), description: 'Headers of the latest event; all must match.' },
  },
});

export function createSchema(store) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        topics: {
          type: list(Topic),
          description: "The broker's topics, but the internal ones (named __*), sorted by name.",
          args: {
            filter: { type: TopicFilter },
            limit: { type: GraphQLInt, defaultValue: 100, description: `1-${MAX_TOPICS_LIMIT}.` },
          },
          resolve: (_, { filter, limit }) => {
            checkLimit('limit', limit, MAX_TOPICS_LIMIT);
            return store.topics().filter((entry) => topicMatches(entry, filter)).slice(0, limit);
          },
        },
        topic: {
          type: Topic,
          description: 'One topic by its exact name; null when the browser does not know it.',
          args: { topic: { type: required(GraphQLString) } },
          resolve: (_, { topic }) => store.topic(topic),
        },
      },
    }),
  });
}

function latestEvent(entry) {
  return entry.events.at(-1) ?? null;
}

function checkLimit(name, value, max) {
  if (value === null || value < 1 || value > max) {
    throw new GraphQLError(`${name} must be between 1 and ${max}, not ${value}`);
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
