// Parses an article file: Markdown with YAML front matter (the format in DESIGN.md's
// contract). Pure: text in, typed fields or a list of problems out.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { SECTION_PATH_PATTERN, SLUG_PATTERN } from './slug.ts';
import { isRealDate } from './dates.ts';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const time = z
  .union([z.string(), z.date()])
  .transform((v, ctx) => {
    if (v instanceof Date) return v.getTime();
    const s = v.trim();
    if (!ISO_WITH_OFFSET.test(s)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an ISO 8601 time with a UTC offset, e.g. 2015-05-12T18:30:00-04:00` });
      return z.NEVER;
    }
    const ms = Date.parse(s);
    if (Number.isNaN(ms) || !isRealDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)))) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a real date` });
      return z.NEVER;
    }
    return ms;
  });

const day = z.union([z.string(), z.date()]).transform((v, ctx) => {
  if (v instanceof Date) return v.getTime();
  const s = v.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T12:00:00Z`) : ISO_WITH_OFFSET.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(ms) || !isRealDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)))) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a date such as 2015-05-13` });
    return z.NEVER;
  }
  return ms;
});

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const frontMatterSchema = z
  .object({
    headline: text(300).min(1, 'is required'),
    dek: text(600).default(''),
    section: z.string().trim().regex(SECTION_PATH_PATTERN, 'must be a section path such as USA/Foreign-Policy'),
    authors: stringList.pipe(z.array(text(120).min(1)).min(1, 'needs at least one name')),
    dateline: text(120).default(''),
    published: time.optional().nullable(),
    /** Absent → the section's default from the paywall policy. */
    access: z.enum(['metered', 'free', 'subscriber']).optional(),
    tags: stringList.pipe(z.array(text(60).min(1)).max(20)).default([]),
    image: z.string().trim().min(1).optional(),
    image_caption: text(1000).default(''),
    image_credit: text(200).default(''),
    image_alt: text(500).default(''),
    slug: z.string().trim().regex(SLUG_PATTERN, 'may hold only letters, digits and single dashes').max(90).optional(),
    corrections: z.array(z.object({ date: day, text: text(2000).min(1) }).strict()).default([]),
  })
  .strict()
  .superRefine((fm, ctx) => {
    if (fm.image && !fm.image_alt) ctx.addIssue({ code: 'custom', path: ['image_alt'], message: 'is required when image is set (describe the picture for readers who cannot see it)' });
  });

export type FrontMatter = z.output<typeof frontMatterSchema>;

export type ParsedArticleFile = { ok: true; frontMatter: FrontMatter; body: string } | { ok: false; problems: string[] };

export function parseArticleFile(source: string): ParsedArticleFile {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!match) return { ok: false, problems: ['no front matter: the file must start with a line "---", YAML fields, and another "---"'] };
  let data: unknown;
  try {
    data = parseYaml(match[1], { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const msg = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    return { ok: false, problems: [`front matter is not valid YAML: ${msg}`] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, problems: ['front matter must be a set of "field: value" lines'] };
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
        return `${i.path.join('.') || 'front matter'} ${i.message}`;
      }),
    };
  }
  const body = text.slice(match[0].length).trim();
  if (!body) return { ok: false, problems: ['the body is empty'] };
  return { ok: true, frontMatter: parsed.data, body };
}
