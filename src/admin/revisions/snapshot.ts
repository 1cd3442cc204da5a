// A revision's snapshot as stored by saveArticle (content/article-store.ts), read back into
// one normalised shape. Older snapshots may lack fields added later; those read as empty
// (or, for corrections, as "not recorded") rather than failing the page.
import { z } from 'zod';
import type { AccessClass } from '../../db/schema.ts';

export interface SnapshotImage {
  id: string;
  caption: string;
  credit: string;
  alt: string;
}

export interface SnapshotCorrection {
  at: number;
  text: string;
}

export interface RevisionSnapshot {
  headline: string;
  dek: string;
  /** Section path, e.g. USA/Foreign-Policy. */
  section: string;
  slug: string;
  /** Byline names in order. */
  authors: string[];
  dateline: string;
  /** Publish time (ms) as saved; null for a draft. */
  published: number | null;
  access: AccessClass;
  tags: string[];
  /** The body as Markdown. */
  body: string;
  image: SnapshotImage | null;
  /** Absent when the save did not record them. */
  corrections: SnapshotCorrection[] | null;
}

const text = z.string().catch('');
const names = z.array(z.string()).catch([]);

const schema = z.object({
  headline: text,
  dek: text,
  section: text,
  slug: text,
  authors: names,
  dateline: text,
  published: z.number().nullable().catch(null),
  access: z.enum(['metered', 'free', 'subscriber']).catch('metered'),
  tags: names,
  body: text,
  image: z
    .object({ id: z.string(), caption: text, credit: text, alt: text })
    .nullable()
    .catch(null),
  corrections: z
    .array(z.object({ at: z.number(), text: z.string() }))
    .nullable()
    .catch(null),
});

/** Parses a stored snapshot; trims what saveArticle trims on the article itself. */
export function parseSnapshot(json: string): RevisionSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = schema.safeParse(raw);
  const s = parsed.success ? parsed.data : schema.parse({});
  return normaliseSnapshot({ ...s, corrections: s.corrections ?? null, image: s.image ?? null });
}

export function normaliseSnapshot(s: RevisionSnapshot): RevisionSnapshot {
  const clean = (list: string[]) => list.map((x) => x.trim()).filter(Boolean);
  return {
    headline: s.headline.trim(),
    dek: s.dek.trim(),
    section: s.section.trim(),
    slug: s.slug.trim(),
    authors: clean(s.authors),
    dateline: s.dateline.trim(),
    published: s.published,
    access: s.access,
    tags: clean(s.tags),
    body: s.body.replace(/\r\n?/g, '\n').replace(/\s+$/, ''),
    image: s.image ? { id: s.image.id, caption: s.image.caption.trim(), credit: s.image.credit.trim(), alt: s.image.alt.trim() } : null,
    corrections: s.corrections ? s.corrections.map((c) => ({ at: c.at, text: c.text.trim() })) : null,
  };
}
