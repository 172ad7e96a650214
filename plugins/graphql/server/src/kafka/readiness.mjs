// Whether the Kafka side is ready, and the one line /ready answers when it
// is not. A pure function of what the Kafka side observed, so that every
// answer can be tested without a broker.
//
// Ready: a metadata request succeeded within METADATA_FRESH_MS and the
// consumer is running (or there is no topic to consume). A consumer that
// is re-joining its group to take in new topics still counts as running
// for RESUBSCRIBE_GRACE_MS: a topic being created does not make the
// browser unready.

export const METADATA_FRESH_MS = 3000;
export const RESUBSCRIBE_GRACE_MS = 10000;

// observed: {
//   now, brokers: [text],
//   lastMetadataOkAt: ms | null, metadataError: string | null,
//   unreachable: [{ broker, error }] from the last probe,
//   consumer: { state: 'idle' | 'joining' | 'running' | 'crashed', since, hasRun, error }
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
      if (consumer.hasRun && now - consumer.since <= RESUBSCRIBE_GRACE_MS) return { ready: true, reason: 'ready' };
      return { ready: false, reason: `kafka consumer joining its group on brokers ${brokerList}` };
    default:
      return { ready: false, reason: `kafka consumer not running on brokers ${brokerList}: ${consumer.error ?? 'crashed'}` };
  }
}
