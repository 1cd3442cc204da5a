// What changed between two versions of a story, field by field, and the one-line summary the
// history list shows ("headline, body (+42 −7 words), access"). Pure: two snapshots in.
import { diffSequences } from './sequence-diff.ts';
import { diffBody, diffWords, type BodyDiff, type TextPart } from './word-diff.ts';
import type { RevisionSnapshot, SnapshotCorrection } from './snapshot.ts';

export type FieldKey = 'headline' | 'dek' | 'bylines' | 'dateline' | 'section' | 'tags' | 'access' | 'slug' | 'image' | 'published' | 'corrections';

/** The order fields are listed in, and the words the summary uses for them. */
export const FIELD_NAMES: Record<FieldKey, string> = {
  headline: 'headline',
  dek: 'dek',
  bylines: 'bylines',
  dateline: 'dateline',
  section: 'section',
  tags: 'tags',
  access: 'access',
  slug: 'slug',
  image: 'lead image',
  published: 'publish time',
  corrections: 'corrections',
};

export interface FieldChange {
  field: FieldKey;
  /** The row's label: "Headline", "Lead image caption". */
  label: string;
  before: string;
  after: string;
  /** How to show it: running text with marked words, a list of items, or old → new. */
  shape: 'text' | 'list' | 'value';
  /** The change marked up: words for prose, items for lists, old → new for the rest. */
  parts: TextPart[];
}

export interface Comparison {
  fields: FieldChange[];
  body: BodyDiff;
  /** Fields that did not change (for "unchanged: …"), body included. */
  unchanged: string[];
  isChanged: boolean;
}

export interface CompareOptions {
  /** How a publish time or correction date reads on the page (the publication's time zone). */
  formatTime: (ms: number) => string;
}

export function compareSnapshots(before: RevisionSnapshot, after: RevisionSnapshot, opts: CompareOptions): Comparison {
  const fields: FieldChange[] = [];
  const unchanged = new Set<string>();
  const prose = (field: FieldKey, label: string, a: string, b: string) => {
    if (a === b) return false;
    const parts = diffWords(a, b).parts;
    fields.push({ field, label, shape: 'text', before: a, after: b, parts });
    return true;
  };
  const value = (field: FieldKey, label: string, a: string, b: string) => {
    if (a === b) return false;
    fields.push({ field, label, shape: 'value', before: a, after: b, parts: replaced(a, b) });
    return true;
  };
  const mark = (field: FieldKey, changed: boolean) => {
    if (!changed) unchanged.add(FIELD_NAMES[field]);
  };

  mark('headline', prose('headline', 'Headline', before.headline, after.headline));
  mark('dek', prose('dek', 'Dek', before.dek, after.dek));
  mark('bylines', list('bylines', 'Bylines', before.authors, after.authors, fields, { isOrdered: true }));
  mark('dateline', prose('dateline', 'Dateline', before.dateline, after.dateline));
  const body = diffBody(before.body, after.body);
  if (!body.isChanged) unchanged.add('body');
  mark('section', value('section', 'Section', before.section, after.section));
  mark('tags', list('tags', 'Tags', before.tags, after.tags, fields, { isOrdered: false }));
  mark('access', value('access', 'Access', before.access, after.access));
  mark('slug', value('slug', 'Slug', before.slug, after.slug));

  const a = before.image;
  const b = after.image;
  let imageChanged = value('image', 'Lead image', a ? `picture ${a.id.slice(0, 12)}` : '', b ? `picture ${b.id.slice(0, 12)}` : '');
  imageChanged = prose('image', 'Lead image caption', a?.caption ?? '', b?.caption ?? '') || imageChanged;
  imageChanged = prose('image', 'Lead image credit', a?.credit ?? '', b?.credit ?? '') || imageChanged;
  imageChanged = prose('image', 'Lead image alt text', a?.alt ?? '', b?.alt ?? '') || imageChanged;
  mark('image', imageChanged);

  const time = (ms: number | null) => (ms === null ? '' : opts.formatTime(ms));
  mark('published', value('published', 'Publish time', time(before.published), time(after.published)));

  // Only comparable when both saves recorded them.
  if (before.corrections && after.corrections) {
    const line = (c: SnapshotCorrection) => `${opts.formatTime(c.at)}: ${c.text}`;
    mark('corrections', list('corrections', 'Corrections', before.corrections.map(line), after.corrections.map(line), fields, { isOrdered: true }));
  }

  return { fields, body, unchanged: [...unchanged], isChanged: fields.length > 0 || body.isChanged };
}

/** "headline, body (+42 −7 words), access"; "no changes" when nothing did. */
export function summarizeChanges(c: Comparison): string {
  if (!c.isChanged) return 'no changes';
  const changed = new Set(c.fields.map((f) => f.field));
  const words = c.body.added + c.body.removed;
  const body = `body (+${c.body.added} −${c.body.removed} ${words === 1 ? 'word' : 'words'})`;
  return SUMMARY_ORDER.filter((k) => (k === 'body' ? c.body.isChanged : changed.has(k)))
    .map((k) => (k === 'body' ? body : FIELD_NAMES[k]))
    .join(', ');
}

// The body sits after the dateline: where the eye meets it on the page.
const SUMMARY_ORDER: (FieldKey | 'body')[] = ['headline', 'dek', 'bylines', 'dateline', 'body', 'section', 'tags', 'access', 'slug', 'image', 'published', 'corrections'];

function replaced(a: string, b: string): TextPart[] {
  const parts: TextPart[] = [];
  if (a) parts.push({ op: 'del', text: a });
  if (b) parts.push({ op: 'ins', text: b });
  return parts;
}

/** Bylines keep their order (the first is the lead byline); tags are a set. */
function list(field: FieldKey, label: string, a: string[], b: string[], into: FieldChange[], opts: { isOrdered: boolean }): boolean {
  const norm = (x: string) => x.toLocaleLowerCase();
  const same = opts.isOrdered
    ? a.length === b.length && a.every((x, i) => x === b[i])
    : a.length === b.length && [...a].map(norm).sort().join('\n') === [...b].map(norm).sort().join('\n');
  if (same) return false;
  const runs = opts.isOrdered
    ? diffSequences(a, b) ?? [{ op: 'del' as const, items: a }, { op: 'ins' as const, items: b }]
    : [
        { op: 'same' as const, items: b.filter((x) => a.some((y) => norm(y) === norm(x))) },
        { op: 'del' as const, items: a.filter((x) => !b.some((y) => norm(y) === norm(x))) },
        { op: 'ins' as const, items: b.filter((x) => !a.some((y) => norm(y) === norm(x))) },
      ];
  const parts: TextPart[] = [];
  for (const run of runs) for (const item of run.items) parts.push({ op: run.op, text: item });
  into.push({ field, label, shape: 'list', before: a.join(', '), after: b.join(', '), parts });
  return true;
}
