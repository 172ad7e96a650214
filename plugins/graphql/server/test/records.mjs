// SPDX-License-Identifier: Apache-2.0
// Records shaped as kafkajs hands them to eachBatch, for the tests.

export function record(offset, value, { key = null, headers = {}, timestamp = 1700000000000 + Number(offset) } = {}) {
  return {
    offset: String(offset),
    timestamp: String(timestamp),
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers,
  };
}

export function records(from, count, options = {}) {
  return Array.from({ length: count }, (_, index) => record(from + index, `value ${from + index}`, options));
}
