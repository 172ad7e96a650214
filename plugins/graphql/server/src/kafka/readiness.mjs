// SPDX-License-Identifier: Apache-2.0
// Whether the Kafka side is ready, and the one line /ready answers when it
// is not. A pure function of what the Kafka side observed, so that every
// answer can be tested without a broker.
//
// Ready: a metadata request succeeded within METADATA_FRESH_MS and the
// consumer is running (or there is no topic to consume). A consumer that
// ran before and is now re-joining -- to take in new topics, or restarted
// by kafkajs after a crash -- still counts as running for REJOIN_GRACE_MS:
// a topic being created, or a blip kafkajs gets over, does not make the
// browser unready. A broker really gone is still said within seconds: the
// metadata requests fail, and that is checked first.

export const METADATA_FRESH_MS = 3000;
export const REJOIN_GRACE_MS = 10000;

// observed: {
//   now, brokers: [text],
//   lastMetadataOkAt: ms | null, metadataError: string | null,
//   unreachable: [{ broker, error }] from the last probe,
//   consumer: { state: 'idle' | 'joining' | 'running' | 'crashed', since, hasRun, error,
//               restarting: crashed and being restarted by kafkajs }
// }
export function kafkaReadiness(observed) {
  const { now, brokers, lastMetadataOkAt, metadataError, unreachable, consumer } = observed;
  const brokerList = brokers.join(',');

  const metadataFresh = lastMetadataOkAt !== null && now - lastMetadataOkAt <= METADATA_FRESH_MS;
  if (!metadataFresh) {
    if (unreachable.length > 0) {
      const each = unreachable.map(({ broker, error }) => `${broker} (${error})`).join(', ');
      return { ready: false, reason: `kafka brokers unreachable: ${each}` };
    }
    if (lastMetadataOkAt === null) {
      const why = metadataError ? `: ${metadataError}` : '';
      return { ready: false, reason: `connecting to kafka brokers ${brokerList}${why}` };
    }
    const why = metadataError ?? `no answer in the last ${METADATA_FRESH_MS / 1000} s`;
    return { ready: false, reason: `kafka metadata request failed on brokers ${brokerList}: ${why}` };
  }

  switch (consumer.state) {
    case 'idle':
    case 'running':
      return { ready: true, reason: 'ready' };
    case 'joining':
      if (consumer.hasRun && now - consumer.since <= REJOIN_GRACE_MS) return { ready: true, reason: 'ready' };
      return { ready: false, reason: `kafka consumer joining its group on brokers ${brokerList}` };
    default:
      if (consumer.restarting && consumer.hasRun && now - consumer.since <= REJOIN_GRACE_MS) {
        return { ready: true, reason: 'ready' };
      }
      return { ready: false, reason: `kafka consumer not running on brokers ${brokerList}: ${consumer.error ?? 'crashed'}` };
  }
}
