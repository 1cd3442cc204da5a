// The letter form, as pure functions: the fields for a letter (with a few blank variant rows,
// so variants can be added without a script), the LetterInput a posted form describes —
// validated by the letters domain's own schema, its issues mapped back to form fields — and
// the audit line for a change.
import { rowId } from '../row-id.ts';
import { letterInputSchema, type LetterInput } from '../../letters/letter-store.ts';
import { AUDIENCES, PLACEMENTS, type Audience, type Placement } from '../../letters/targeting.ts';
import type { Letter } from '../../letters/types.ts';
import { safeCtaUrl } from '../../letters/cta-url.ts';
import type { z } from 'zod';
import { checked, readField, text, texts, wholeNumber, optionalWholeNumber, type FieldErrors, type FormBody, type FormResult } from './form.ts';

export const AUDIENCE_LABELS: Record<Audience, string> = {
  anonymous: 'Anonymous readers (no account)',
  registered: 'Registered readers (free account)',
  subscriber: 'Subscribers',
  lapsed: 'Lapsed subscribers',
};

export const PLACEMENT_LABELS: Record<Placement, string> = {
  'after-body': 'After the story (readers within the meter)',
  locked: 'On a locked page, before the offer',
  both: 'Both',
};

/** The domain allows ten variants; the form shows the stored ones plus blank rows, at least this many rows. */
export const MAX_VARIANTS = 10;
const MIN_ROWS = 3;
const BLANK_ROWS = 2;

export interface VariantRow {
  /** The stored variant's id, when the row shows one (for the preview link). */
  id: number | null;
  name: string;
  title: string;
  bodyMd: string;
  ctaLabel: string;
  weight: string;
  isRemoved: boolean;
}

export interface LetterFormValues {
  title: string;
  bodyMd: string;
  signature: string;
  ctaLabel: string;
  ctaUrl: string;
  audience: string[];
  minRead: string;
  sections: string;
  frequencyDays: string;
  placement: string;
  isActive: boolean;
  position: string;
  variants: VariantRow[];
}

const blankRow = (): VariantRow => ({ id: null, name: '', title: '', bodyMd: '', ctaLabel: '', weight: '1', isRemoved: false });

/** Rows for the form: the given ones, then blanks (at least MIN_ROWS in all, at most MAX_VARIANTS + BLANK_ROWS). */
export function withBlankRows(rows: VariantRow[]): VariantRow[] {
  const want = Math.max(MIN_ROWS, Math.min(rows.length + BLANK_ROWS, MAX_VARIANTS));
  const out = [...rows];
  while (out.length < want) out.push(blankRow());
  return out;
}

export function letterFormValues(letter: Letter | null): LetterFormValues {
  if (!letter) {
    return {
      title: 'Dear Reader,',
      bodyMd: '',
      signature: '',
      ctaLabel: 'Subscribe',
      ctaUrl: '/subscribe',
      audience: ['anonymous', 'registered', 'lapsed'],
      minRead: '',
      sections: '',
      frequencyDays: '7',
      placement: 'both',
      isActive: true,
      position: '0',
      variants: withBlankRows([]),
    };
  }
  return {
    title: letter.title,
    bodyMd: letter.bodyMd,
    signature: letter.signature,
    ctaLabel: letter.ctaLabel,
    ctaUrl: letter.ctaUrl,
    audience: [...letter.audience],
    minRead: letter.minRead === null ? '' : String(letter.minRead),
    sections: letter.sections.join(', '),
    frequencyDays: String(letter.frequencyDays),
    placement: letter.placement,
    isActive: letter.isActive,
    position: String(letter.position),
    variants: withBlankRows(
      letter.variants.map((v) => ({ id: v.id, name: v.name, title: v.title ?? '', bodyMd: v.bodyMd ?? '', ctaLabel: v.ctaLabel ?? '', weight: String(v.weight), isRemoved: false })),
    ),
  };
}

/** The form field of a variant row's part: `variants.2.weight`. */
export const variantField = (row: number, part: 'name' | 'title' | 'bodyMd' | 'ctaLabel' | 'weight' | 'remove' | 'id') => `variants.${row}.${part}`;

function postedRows(body: FormBody): VariantRow[] {
  const rows: VariantRow[] = [];
  for (let i = 0; i < MAX_VARIANTS + BLANK_ROWS; i++) {
    const has = ['name', 'title', 'bodyMd', 'ctaLabel', 'weight'].some((p) => `variants.${i}.${p}` in body);
    if (!has) continue;
    rows[i] = {
      id: rowId(text(body, variantField(i, 'id'))),
      name: text(body, variantField(i, 'name')),
      title: text(body, variantField(i, 'title')),
      bodyMd: text(body, variantField(i, 'bodyMd')),
      ctaLabel: text(body, variantField(i, 'ctaLabel')),
      weight: text(body, variantField(i, 'weight')),
      isRemoved: checked(body, variantField(i, 'remove')),
    };
  }
  return Array.from(rows, (r) => r ?? blankRow());
}

const isBlank = (r: VariantRow) => !r.name.trim() && !r.title.trim() && !r.bodyMd.trim() && !r.ctaLabel.trim();

/**
 * Where a CTA may point from the newsroom: a path on this site, or an https address (the
 * domain also takes http; a newspaper's appeal should not send readers to an insecure page).
 */
export function ctaUrlProblem(value: string): string | null {
  const v = value.trim();
  if (v === '') return 'the button needs a link, such as /subscribe';
  const href = safeCtaUrl(v);
  if (href === null || /^http:/i.test(href)) return 'the button link must be a path on this site such as /subscribe, or an https:// address';
  return null;
}

/**
 * The letter a posted form describes, checked by the letters domain's schema. `id` when
 * editing. Blank and removed variant rows are left out; errors name the form's fields.
 */
export function parseLetterForm(body: FormBody, opts: { id?: number } = {}): FormResult<LetterInput, LetterFormValues> {
  const values: LetterFormValues = {
    title: text(body, 'title'),
    bodyMd: text(body, 'bodyMd'),
    signature: text(body, 'signature'),
    ctaLabel: text(body, 'ctaLabel'),
    ctaUrl: text(body, 'ctaUrl'),
    audience: texts(body, 'audience'),
    minRead: text(body, 'minRead'),
    sections: text(body, 'sections'),
    frequencyDays: text(body, 'frequencyDays'),
    placement: text(body, 'placement'),
    isActive: checked(body, 'isActive'),
    position: text(body, 'position'),
    variants: postedRows(body),
  };
  const errors: FieldErrors = {};
  const num = <T>(name: string, schema: z.ZodType<T, unknown>, raw: string, fallback: T): T => readField(errors, name, schema, raw, fallback);
  const minRead = num('minRead', optionalWholeNumber('the minimum read', 0, 1000), values.minRead, null);
  const frequencyDays = num('frequencyDays', wholeNumber('the frequency cap', 0, 365), values.frequencyDays, 7);
  const position = num('position', wholeNumber('the position', -1_000_000, 1_000_000), values.position, 0);
  const ctaProblem = ctaUrlProblem(values.ctaUrl);
  if (ctaProblem) errors.ctaUrl = ctaProblem;
  if (!isPlacement(values.placement)) errors.placement = 'choose where on the page the letter appears';

  // Array index in the input → form row, to put the domain's variant messages on the right row.
  const rowOf: number[] = [];
  const variants: NonNullable<LetterInput['variants']> = [];
  values.variants.forEach((row, i) => {
    if (isBlank(row) || row.isRemoved) return;
    const weight = row.weight.trim() === '' ? 1 : num(variantField(i, 'weight'), wholeNumber('the weight', 0, 1_000_000), row.weight, 1);
    rowOf.push(i);
    variants.push({ name: row.name, title: row.title, bodyMd: row.bodyMd, ctaLabel: row.ctaLabel, weight });
  });
  if (variants.length > MAX_VARIANTS) errors[variantField(0, 'name')] ??= `a letter has at most ${MAX_VARIANTS} variants`;

  const input: LetterInput = {
    ...(opts.id !== undefined ? { id: opts.id } : {}),
    title: values.title,
    bodyMd: values.bodyMd,
    signature: values.signature,
    ctaLabel: values.ctaLabel,
    // A refused link was reported above; the schema sees a valid stand-in so it adds no second message.
    ctaUrl: ctaProblem ? '/subscribe' : values.ctaUrl,
    audience: values.audience as Audience[],
    minRead,
    sections: values.sections.split(',').map((s) => s.trim()).filter(Boolean),
    frequencyDays,
    placement: isPlacement(values.placement) ? values.placement : 'both',
    isActive: values.isActive,
    position,
    variants,
  };
  const parsed = letterInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = letterField(issue.path.map(String).join('.'), rowOf);
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, value: input, values };
}

/**
 * The form field for a path in the letters domain's issues (`variants.1.weight` with rowOf
 * → `variants.3.weight`; `sections.2` → `sections`; `slug` → `title`, as the slug comes from it).
 */
export function letterField(path: string, rowOf: readonly number[] = []): string {
  const [head, index, part] = path.split('.');
  if (head === 'variants') {
    if (index === undefined) return variantField(0, 'name');
    const row = rowOf[Number(index)] ?? Number(index);
    return variantField(row, (part as 'name') ?? 'name');
  }
  if (head === 'slug' || head === 'id' || head === '') return 'title';
  return head;
}

/** Whether an audience or placement value is one the form offers (for checked/selected state). */
export const isAudience = (v: string): v is Audience => (AUDIENCES as readonly string[]).includes(v);
export const isPlacement = (v: string): v is Placement => (PLACEMENTS as readonly string[]).includes(v);

/** "created", or the parts that changed: "title, audience, variants (A 50 → 70; B removed)". */
export function describeLetterChange(before: Letter | null, after: Letter): string {
  const name = `“${after.title}”`;
  if (!before) return `created ${name} (${after.variants.length === 1 ? '1 variant' : `${after.variants.length} variants`})`;
  const parts: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const fields: [string, unknown, unknown][] = [
    ['title', before.title, after.title],
    ['body', before.bodyMd, after.bodyMd],
    ['signature', before.signature, after.signature],
    ['button', [before.ctaLabel, before.ctaUrl], [after.ctaLabel, after.ctaUrl]],
    ['audience', before.audience, after.audience],
    ['minimum read', before.minRead, after.minRead],
    ['sections', before.sections, after.sections],
    ['frequency cap', before.frequencyDays, after.frequencyDays],
    ['placement', before.placement, after.placement],
    ['position', before.position, after.position],
  ];
  for (const [label, a, b] of fields) if (!same(a, b)) parts.push(label);
  if (before.isActive !== after.isActive) parts.push(after.isActive ? 'activated' : 'deactivated');
  const variantNotes: string[] = [];
  const old = new Map(before.variants.map((v) => [v.name, v]));
  for (const v of after.variants) {
    const o = old.get(v.name);
    if (!o) variantNotes.push(`${v.name} added`);
    else if (!same([o.title, o.bodyMd, o.ctaLabel, o.weight], [v.title, v.bodyMd, v.ctaLabel, v.weight])) variantNotes.push(o.weight !== v.weight ? `${v.name} weight ${o.weight} → ${v.weight}` : `${v.name} edited`);
    old.delete(v.name);
  }
  for (const name of old.keys()) variantNotes.push(`${name} removed`);
  if (variantNotes.length) parts.push(`variants (${variantNotes.join('; ')})`);
  return `updated ${name}: ${parts.length ? parts.join(', ') : 'no change'}`;
}
