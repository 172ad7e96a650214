// SPDX-License-Identifier: Apache-2.0
// The events the browser keeps: per topic the newest EVENTS_PER_TOPIC,
// and over all topics at most MAX_BYTES, counted as keys, values and
// headers plus a fixed overhead per event, header and topic.
//
// "Newest" is by the record's timestamp (ties: the one consumed last), so
// a topic's partitions interleave as their producers wrote them. When the
// byte bound is passed, the events kept longest -- over all topics, in the
// order they were consumed -- are dropped until the total is under it
// again; a topic can so lose all its events and still be listed, with
// `eventsDropped` saying how many went this way.
//
// Keys, values and header values are copied out of the fetch response
// into buffers of their own: a slice would keep the whole response alive.

import { headerText } from './record_text.mjs';

// What JavaScript spends beside the bytes themselves, measured as heap
// used over 200,000 small events on Node.js 20: an event's object and its
// place in two arrays (about 180 bytes), each key or value buffer (about
// 210), each header's object and strings (about 115), a topic's entry and
// name (about 250). Counted in the bound, else 2,000 topics of 1,000
// one-byte events would take over a gigabyte while counting 6 MB.
export const EVENT_OVERHEAD_BYTES = 200;
export const BUFFER_OVERHEAD_BYTES = 200;
export const HEADER_OVERHEAD_BYTES = 120;
export const TOPIC_OVERHEAD_BYTES = 300;

// A record stamped further ahead of when it was consumed than this is
// dated by when it was consumed. Such a timestamp is a mistake (micro- for
// milliseconds, a producer's clock years ahead), and taken as it is the
// event would stay the topic's newest, its lastEvent, for good. Ordering by
// arrival instead would lose the interleaving of partitions by their
// producers' clocks, which is right for every record stamped sanely; a day
// is far beyond the skew of a clock that is merely off.
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export class EventStore {
  #topics = new Map();
  // Every kept event in the order it was kept; dropped ones are skipped
  // lazily and swept out when they are the majority.
  #arrivals = [];
  #arrivalsHead = 0;
  #boundReached = false;

  constructor({ eventsPerTopic, maxBytes, maxValueBytes, onBoundReached = () => {} }) {
    this.eventsPerTopic = eventsPerTopic;
    this.maxBytes = maxBytes;
    this.maxValueBytes = maxValueBytes;
    this.onBoundReached = onBoundReached;
    this.bytesKept = 0;
    this.eventsKept = 0;
    this.recordsSeen = 0;
    this.eventsDropped = 0;
  }

  get topicCount() {
    return this.#topics.size;
  }

  topic(name) {
    return this.#topics.get(name) ?? null;
  }

  // Sorted by name.
  topics() {
    return [...this.#topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // The broker's topics, from a metadata answer: [{ name, partitions }].
  // A topic the broker no longer has is forgotten with its events.
  setTopics(brokerTopics) {
    const names = new Set();
    for (const { name, partitions } of brokerTopics) {
      names.add(name);
      this.#topicEntry(name).partitions = partitions;
    }
    for (const [name, entry] of this.#topics) {
      if (names.has(name)) continue;
      for (const event of [...entry.events]) this.#forget(entry, event);
      this.#topics.delete(name);
      this.bytesKept -= TOPIC_OVERHEAD_BYTES;
    }
  }

  // Records of one partition, oldest first, as the consumer hands them
  // over: { offset, timestamp, key, value, headers } with Buffer or null
  // keys and values, headers { name: Buffer | string | array of them }.
  // Only the last EVENTS_PER_TOPIC can be kept, so only those are copied.
  addRecords(topic, partition, records, consumedAt = Date.now()) {
    const entry = this.#topicEntry(topic);
    entry.eventsSeen += records.length;
    this.recordsSeen += records.length;
    for (const record of records.slice(-this.eventsPerTopic)) {
      this.#keep(entry, this.#eventOf(topic, partition, record, consumedAt));
    }
  }

  #topicEntry(name) {
    let entry = this.#topics.get(name);
    if (!entry) {
      // events: oldest first.
      // bytesKept: its events' counted bytes and its own overhead.
      entry = { name, partitions: null, events: [], eventsSeen: 0, eventsDropped: 0, bytesKept: TOPIC_OVERHEAD_BYTES };
      this.#topics.set(name, entry);
      this.bytesKept += TOPIC_OVERHEAD_BYTES;
      this.#keepUnderBound();
    }
    return entry;
  }

  #eventOf(topic, partition, record, consumedAt) {
    let truncated = false;
    const bounded = (bytes) => {
      if (bytes === null || bytes === undefined) return null;
      const length = Math.min(bytes.length, this.maxValueBytes);
      if (length < bytes.length) truncated = true;
      const copy = Buffer.allocUnsafeSlow(length);
      bytes.copy(copy, 0, 0, length);
      return copy;
    };
    const key = bounded(record.key);
    const value = bounded(record.value);
    const headers = [];
    let size = (key?.length ?? 0) + (value?.length ?? 0);
    let headerCount = 0;
    for (const [name, raw] of Object.entries(record.headers ?? {})) {
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        const bytes = typeof item === 'string' ? Buffer.from(item) : item;
        const text = headerText(bounded(bytes));
        headers.push({ key: name, value: text });
        size += Buffer.byteLength(name) + Buffer.byteLength(text);
        headerCount += 1;
      }
    }
    const timestamp = Number(record.timestamp);
    return {
      topic,
      partition,
      offset: String(record.offset),
      // A record without a timestamp (-1), with a nonsense one or with one
      // too far ahead is dated by when it was consumed.
      timestamp: timestamp >= 0 && timestamp <= consumedAt + MAX_FUTURE_MS ? timestamp : consumedAt,
      key,
      value,
      headers,
      truncated,
      // bytes: what sizeBytes shows; cost: what the bound counts.
      bytes: size,
      cost: size + EVENT_OVERHEAD_BYTES + ((key ? 1 : 0) + (value ? 1 : 0)) * BUFFER_OVERHEAD_BYTES +
        headerCount * HEADER_OVERHEAD_BYTES,
      dropped: false,
    };
  }

  #keep(entry, event) {
    const events = entry.events;
    let at = events.length;
    while (at > 0 && events[at - 1].timestamp > event.timestamp) at -= 1;
    events.splice(at, 0, event);
    this.#arrivals.push(event);
    entry.bytesKept += event.cost;
    this.bytesKept += event.cost;
    this.eventsKept += 1;

    if (events.length > this.eventsPerTopic) this.#forget(entry, events[0]);
    this.#keepUnderBound();
  }

  // Topics are the broker's and stay; only events can go. Topics alone
  // over the bound leave no event kept.
  #keepUnderBound() {
    while (this.bytesKept > this.maxBytes && this.eventsKept > 0) this.#dropOldestKept();
    this.#sweepArrivals();
  }

  #dropOldestKept() {
    while (this.#arrivals[this.#arrivalsHead].dropped) this.#arrivalsHead += 1;
    const event = this.#arrivals[this.#arrivalsHead];
    const entry = this.#topics.get(event.topic);
    this.#forget(entry, event);
    entry.eventsDropped += 1;
    this.eventsDropped += 1;
    if (!this.#boundReached) {
      this.#boundReached = true;
      this.onBoundReached();
    }
  }

  #forget(entry, event) {
    const at = entry.events.indexOf(event);
    if (at >= 0) entry.events.splice(at, 1);
    event.dropped = true;
    entry.bytesKept -= event.cost;
    this.bytesKept -= event.cost;
    this.eventsKept -= 1;
  }

  // The arrival list holds at most about twice the kept events, however
  // many were dropped behind one old event that is still kept.
  #sweepArrivals() {
    const length = this.#arrivals.length - this.#arrivalsHead;
    if (length < 1024 || length < 2 * this.eventsKept) return;
    this.#arrivals = this.#arrivals.slice(this.#arrivalsHead).filter((event) => !event.dropped);
    this.#arrivalsHead = 0;
  }
}
