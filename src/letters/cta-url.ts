// Where a letter's button may point: a path on this site (`/subscribe`, `/subscribe?offer=x`)
// or an absolute http(s) URL. Not `#…`, `mailto:`, `javascript:` or protocol-relative `//host`.
import { safeHref } from '../content/markdown.ts';

/** The href to emit, normalised, or null when the value may not be a letter's call to action. */
export function safeCtaUrl(value: string): string | null {
  const href = safeHref(value);
  if (href === null) return null;
  if (href.startsWith('/')) return href; // safeHref already refused `//host` and `/\host`
  return /^https?:\/\//i.test(href) ? href : null;
}
