// The one place HTML escaping is defined. Both functions escape all five significant characters,
// so either is safe in text or in a quoted attribute; the two names say which use is intended.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SPECIAL = /[&<>"']/g;

/** Escape text for use between tags. */
export function escapeHtml(value: string): string {
  return value.replace(SPECIAL, (ch) => ENTITIES[ch]);
}

/** Escape a value for use inside a double- or single-quoted attribute. */
export function escapeAttr(value: string): string {
  return value.replace(SPECIAL, (ch) => ENTITIES[ch]);
}
