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

// `{ value }` when the text is a JSON document, else null: the document
// `null` is told apart from text that is not JSON.
export function jsonOf(text) {
  if (text === null) return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

// Header values are shown as text in any case (they are metadata, read by
// people); bytes that are not UTF-8 become U+FFFD.
export function headerText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value.toString('utf8');
}
