// SPDX-License-Identifier: Apache-2.0
// A plain TCP connect to each configured broker, to say which ones are
// unreachable and why when the metadata request fails. kafkajs's own
// errors name only the broker it tried last.

import net from 'node:net';

const CONNECT_TIMEOUT_MS = 1000;

// -> [{ broker, error }] for the brokers that failed, in the given order.
export async function unreachableBrokers(brokers, connect = net.connect) {
  const results = await Promise.all(brokers.map((broker) => probe(broker, connect)));
  return results.filter((result) => result.error !== null);
}

function probe(broker, connect) {
  return new Promise((resolve) => {
    const socket = connect({ host: broker.host, port: broker.port });
    const done = (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ broker: broker.text, error });
    };
    const timer = setTimeout(() => done(`connect ETIMEDOUT ${broker.text} (no answer in ${CONNECT_TIMEOUT_MS} ms)`), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => done(null));
    socket.once('error', (error) => done(error.message));
  });
}
