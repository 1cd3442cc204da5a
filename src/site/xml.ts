// Escaping and dates for the XML the site writes: feeds and sitemaps.

// Characters XML 1.0 forbids even as references (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF,
// unpaired surrogates). A stray one pasted from a word processor would make the whole feed unparsable.
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content or a quoted attribute, dropping characters XML cannot carry. */
export function escapeXml(value: string): string {
  return value.replace(XML_INVALID, '').replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]);
}

/** ISO 8601 / RFC 3339 without milliseconds, as Atom and sitemaps expect. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

