// Parses the path of a reader request into what it asks for. Pure; the route table decides.
import { SECTION_PATH_PATTERN, SLUG_PATTERN } from '../content/slug.ts';
import { isRealDate } from '../content/dates.ts';

export type ReaderPath =
  | { kind: 'article'; urlPath: string; sectionPath: string; slug: string; isPrint: boolean; isValidDate: boolean }
  | { kind: 'section'; sectionPath: string }
  | { kind: 'section-feed'; sectionPath: string; format: 'rss' | 'atom' | 'json' }
  | { kind: 'invalid' };

const ARTICLE = /^\/(.+)\/(\d{4})\/(\d{2})(\d{2})\/([^/]+?)(\/print)?\/?$/;
const FEED = /^\/(.+)\/feeds\/(rss\.xml|atom\.xml|feed\.json)$/;

/** Decodes a raw URL path; null when its percent-encoding is broken or it hides a NUL. */
export function decodePath(raw: string): string | null {
  try {
    const decoded = decodeURIComponent(raw);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

export function parseReaderPath(path: string): ReaderPath {
  if (path.length > 400) return { kind: 'invalid' };
  const feed = FEED.exec(path);
  if (feed) {
    if (!SECTION_PATH_PATTERN.test(feed[1])) return { kind: 'invalid' };
    const format = feed[2] === 'rss.xml' ? 'rss' : feed[2] === 'atom.xml' ? 'atom' : 'json';
    return { kind: 'section-feed', sectionPath: feed[1], format };
  }
  const m = ARTICLE.exec(path);
  if (m) {
    const [, sectionPath, year, month, day, slug, print] = m;
    if (!SECTION_PATH_PATTERN.test(sectionPath) || !SLUG_PATTERN.test(slug)) return { kind: 'invalid' };
    return {
      kind: 'article',
      urlPath: `/${sectionPath}/${year}/${month}${day}/${slug}`,
      sectionPath,
      slug,
      isPrint: Boolean(print),
      isValidDate: isRealDate(Number(year), Number(month), Number(day)),
    };
  }
  const sectionPath = path.replace(/^\/+|\/+$/g, '');
  if (SECTION_PATH_PATTERN.test(sectionPath)) return { kind: 'section', sectionPath };
  return { kind: 'invalid' };
}
