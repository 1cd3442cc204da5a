// What every reader page needs to know about the publication, built once per content
// version rather than per request.
import fs from 'node:fs';
import type { Publication } from '../content/publication.ts';
import type { SectionRow } from '../db/schema.ts';
import { displayDate } from '../content/dates.ts';

export interface SiteContext {
  publication: Publication;
  /** Absolute base for links that leave the site (feeds, canonical, QR codes), no trailing slash. */
  publicUrl: string;
  sections: SectionRow[];
  topSections: SectionRow[];
  sectionByPath: Map<string, SectionRow>;
  css: string;
  defaultFeeds: { title: string; path: string }[];
  now: () => number;
  todayLabel(): string;
  /** A section and every section under it. */
  sectionTreeIds(path: string): number[];
  absolute(path: string): string;
}

const css = fs.readFileSync(new URL('./assets/site.css', import.meta.url), 'utf8').replace(/\n+/g, '\n');

export function buildSiteContext(opts: { publication: Publication; publicUrl: string; sections: SectionRow[]; now: () => number }): SiteContext {
  const { publication, sections, now } = opts;
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const sectionByPath = new Map(sections.map((s) => [s.path, s]));
  return {
    publication,
    publicUrl,
    sections,
    topSections: sections.filter((s) => s.parent_id === null),
    sectionByPath,
    css,
    defaultFeeds: [
      { title: `${publication.name} (RSS)`, path: '/feeds/rss.xml' },
      { title: `${publication.name} (Atom)`, path: '/feeds/atom.xml' },
      { title: `${publication.name} (JSON Feed)`, path: '/feeds/feed.json' },
    ],
    now,
    todayLabel: () => displayDate(now(), publication.timeZone),
    sectionTreeIds: (path) => sections.filter((s) => s.path === path || s.path.startsWith(path + '/')).map((s) => s.id),
    absolute: (path) => publicUrl + path,
  };
}
