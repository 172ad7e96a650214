// The events the browser keeps: per topic the newest EVENTS_PER_TOPIC,
// and over all topics at most MAX_BYTES of keys, values and headers.
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
      entry = { name, partitions: null, events: [], eventsSeen: 0, eventsDropped: 0, bytesKept: 0 };
      this.#topics.set(name, entry);
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
    for (const [name, raw] of Object.entries(record.headers ?? {})) {
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        const bytes = typeof item === 'string' ? Buffer.from(item) : item;
        const text = headerText(bounded(bytes));
        headers.push({ key: name, value: text });
        size += Buffer.byteLength(name) + Buffer.byteLength(text);
      }
    }
    const timestamp = Number(record.timestamp);
    return {
      topic,
      partition,
      offset: String(record.offset),
      // A record without a timestamp (-1) or with a nonsense one is dated
      // by when it was consumed.
      timestamp: timestamp >= 0 && timestamp <= 8.64e15 ? timestamp : consumedAt,
      key,
      value,
      headers,
      truncated,
      bytes: size,
      dropped: false,
    };
  }

  #keep(entry, event) {
    const events = entry.events;
    let at = events.length;
    while (at > 0 && events[at - 1].timestamp > event.timestamp) at -= 1;
    events.splice(at, 0, event);
    this.#arrivals.push(event);
    entry.bytesKept += event.bytes;
    this.bytesKept += event.bytes;
    this.eventsKept += 1;

    if (events.length > this.eventsPerTopic) this.#forget(entry, events[0]);
    while (this.bytesKept > this.maxBytes) this.#dropOldestKept();
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
    entry.bytesKept -= event.bytes;
    this.bytesKept -= event.bytes;
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
