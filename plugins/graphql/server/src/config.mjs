// SPDX-License-Identifier: Apache-2.0
// The topic browser's settings, read from the environment only.
//
// Every variable is checked before anything listens or connects; the first
// bad one is reported as a ConfigError naming the variable, what is wrong
// and what it must be (server.mjs prints it and exits 2).

export class ConfigError extends Error {
  constructor(variable, problem) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
  }
}

const RESERVED_PATHS = ['/health', '/ready', '/metrics'];

export function readConfig(env) {
  return {
    port: readPort(env),
    listenAddress: readListenAddress(env),
    brokers: readBrokers(env),
    graphqlPath: readGraphqlPath(env),
    eventsPerTopic: readInteger(env, 'TOPIC_BROWSER_EVENTS_PER_TOPIC', 10, 1, 1000),
    maxBytes: readInteger(env, 'TOPIC_BROWSER_MAX_BYTES', 67108864, 1, Number.MAX_SAFE_INTEGER),
    maxValueBytes: readInteger(env, 'TOPIC_BROWSER_MAX_VALUE_BYTES', 1048576, 1, 1073741824),
  };
}

function readPort(env) {
  const text = env.PORT;
  if (text === undefined || text === '') {
    throw new ConfigError('PORT', 'not set; it must be the TCP port to listen on, 1-65535');
  }
  return parseInteger('PORT', text, 1, 65535);
}

function readListenAddress(env) {
  const text = env.LISTEN_ADDRESS;
  if (text === undefined || text === '') return '127.0.0.1';
  if (/[\s\/\[\]]/.test(text)) {
    throw new ConfigError('LISTEN_ADDRESS',
      `${quote(text)} is not an address; it must be an IP address or host name such as 127.0.0.1, 0.0.0.0 or ::`);
  }
  return text;
}

function readGraphqlPath(env) {
  const text = env.GRAPHQL_PATH;
  if (text === undefined || text === '') return '/graphql';
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*$/.test(text)) {
    throw new ConfigError('GRAPHQL_PATH',
      `${quote(text)} is not a URL path; it must start with / and hold no spaces, ? or #, e.g. /graphql`);
  }
  if (RESERVED_PATHS.includes(text)) {
    throw new ConfigError('GRAPHQL_PATH',
      `${text} is taken by the browser's own route; it must be another path, e.g. /graphql`);
  }
  return text;
}

function readInteger(env, variable, fallback, min, max) {
  const text = env[variable];
  if (text === undefined || text === '') return fallback;
  return parseInteger(variable, text, min, max);
}

function parseInteger(variable, text, min, max) {
  if (!/^[0-9]+$/.test(text)) {
    throw new ConfigError(variable, `${quote(text)} is not a whole number; it must be ${min}-${max}`);
  }
  const value = Number(text);
  if (value < min || value > max) {
    throw new ConfigError(variable, `${text} is out of range; it must be ${min}-${max}`);
  }
  return value;
}

// A broker is `host:port`; an IPv6 address is written in brackets,
// `[::1]:9092`, so that its own colons are not read as the port's.
function readBrokers(env) {
  const text = env.KAFKA_BROKERS;
  const what = 'a comma-separated list of host:port, e.g. 127.0.0.1:9092 or [::1]:9092';
  if (text === undefined || text.trim() === '') {
    throw new ConfigError('KAFKA_BROKERS', `not set; it must be ${what}`);
  }
  return text.split(',').map((item) => item.trim()).map((item) => {
    const broker = parseBroker(item);
    if (!broker) {
      throw new ConfigError('KAFKA_BROKERS', `${quote(item)} is not host:port; it must be ${what}`);
    }
    return broker;
  });
}

export function parseBroker(text) {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):([0-9]{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  const host = match[1] ?? match[2];
  return { host, port, text: match[1] ? `[${host}]:${port}` : `${host}:${port}` };
}

function quote(text) {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}
