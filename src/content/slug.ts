// URL words. The article slug keeps the headline's case ("No-breakthrough-between-US-…"),
// with diacritics folded and every run of other characters turned into one '-'.

const MAX_SLUG = 90;

export function slugify(text: string, opts: { lowercase?: boolean } = {}): string {
  let slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (opts.lowercase) slug = slug.toLowerCase();
  if (slug.length > MAX_SLUG) {
    const cut = slug.slice(0, MAX_SLUG);
    slug = cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut;
  }
  return slug;
}

export const SLUG_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
export const SECTION_PATH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9-]*)*$/;

/** Paths the site owns; a section may not take them. */
export const RESERVED_SECTION_ROOTS = new Set([
  'admin', 'author', 'tag', 'search', 'feeds', 'media', 'assets', 'subscribe', 'login', 'logout', 'account',
  'webhooks', 'healthz', 'sitemap.xml', 'sitemap-news.xml', 'robots.txt', 'editions', 'favicon.ico',
]);

export function isValidSectionPath(p: string): boolean {
  if (!SECTION_PATH_PATTERN.test(p)) return false;
  if (p.split('/').length > 4) return false;
  return !RESERVED_SECTION_ROOTS.has(p.split('/')[0].toLowerCase());
}
