// SPDX-License-Identifier: Apache-2.0
// kafkajs's own log, as one-line `kafka: ...` lines at WARN and above.
//
// While a broker is down kafkajs repeats the same complaints every retry
// ("Connection error: connect ECONNREFUSED ...", "Crash: ...",
// "Restarting the consumer in 812ms"). Each distinct message (numbers
// aside) is printed once until forgetRepeats() is called -- the Kafka side
// calls it when it is ready again -- so an outage prints a few lines, not
// one a second.

import { logLevel } from 'kafkajs';

const MAX_REMEMBERED = 200;

export function createKafkajsLog(log) {
  const printed = new Set();

  const logCreator = () => ({ namespace, level, log: entry }) => {
    if (level > logLevel.WARN || level === logLevel.NOTHING) return;
    const error = entry.error ? `: ${entry.error}` : '';
    const message = `${namespace ? `${namespace}: ` : ''}${entry.message}${error}`;
    const shape = message.replace(/[0-9]+/g, '#');
    if (printed.has(shape)) return;
    if (printed.size >= MAX_REMEMBERED) printed.clear();
    printed.add(shape);
    const line = `kafka: ${message}`;
    if (level === logLevel.ERROR) log.error(line);
    else log.info(line);
  };

  return { logCreator, forgetRepeats: () => printed.clear() };
}
