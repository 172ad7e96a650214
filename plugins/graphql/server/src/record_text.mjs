// SPDX-License-Identifier: Apache-2.0
// How a record's bytes read: as UTF-8 text, as base64, as JSON.
//
// Kafka keys, values and headers are bytes. Text is given only when the
// bytes are valid UTF-8, so a binary value never shows as garbage; base64
// is always there. A value cut at the size bound may end inside a
// multi-byte character: that unfinished character is left out of the text
// rather than making the whole value binary.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function textOf(bytes, truncated = false) {
  if (bytes === null) return null;
  try {
    if (!truncated) return strictUtf8.decode(bytes);
    // A decoder in stream mode keeps an unfinished last character back
    // instead of failing on it; it is used once and dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

export function base64Of(bytes) {
  return bytes === null ? null : bytes.toString('base64');
}

// How deep a JSON value may nest to be given parsed. JSON.parse takes any
// depth, but JSON.stringify (which writes every answer) recurses and
// overflows the stack at a few thousand levels: one such value would fail
// every answer that shows it. No real record comes near this depth.
export const MAX_JSON_DEPTH = 64;

// `{ value }` when the text is a JSON document nested at most
// MAX_JSON_DEPTH deep, else null: the document `null` is told apart from
// text that is not JSON (or too deep, which stays readable as text).
export function jsonOf(text) {
  if (text === null || !jsonDepthWithin(text, MAX_JSON_DEPTH)) return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

// Whether the brackets of a text (not counting those inside strings) nest
// at most maxDepth deep. A scan of the text, cheaper than parsing it; it
// does not check that the text is JSON.
export function jsonDepthWithin(text, maxDepth) {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c) at += 1; // a backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return false;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return true;
}

// Header values are shown as text in any case (they are metadata, read by
// people); bytes that are not UTF-8 become U+FFFD.
export function headerText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value.toString('utf8');
}
