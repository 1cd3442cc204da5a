// `masthead articles import`: files → stored pictures → one transaction per article. A bad
// file is reported with its path and reason and leaves nothing of itself in the database.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Block } from './blocks.ts';
import { parseArticleFile } from './article-file.ts';
import { parseMarkdown } from './markdown.ts';
import { storeImage, ImageError, type StoredImage } from './image-store.ts';
import { saveArticle, type ContentContext, type SaveResult } from './article-store.ts';
import { ContentError } from './errors.ts';
import type { AccessClass } from '../db/schema.ts';

export type ImportOutcome =
  | ({ file: string; ok: true } & SaveResult)
  | { file: string; ok: false; problems: string[] };

export interface ImportOptions {
  /** The access class for a file that names none, by section (the paywall's section defaults). */
  defaultAccess?: (sectionPath: string) => AccessClass;
  mediaDir: string;
  timeZone: string;
  now: () => number;
  source: string;
  /** Called after each file, for progress display. */
  onFile?: (outcome: ImportOutcome, index: number, total: number) => void;
}

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function importArticleFiles(ctx: ContentContext, files: string[], opts: ImportOptions): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const [i, file] of files.entries()) {
    const outcome = await importOne(ctx, file, opts);
    outcomes.push(outcome);
    opts.onFile?.(outcome, i, files.length);
  }
  return outcomes;
}

async function importOne(ctx: ContentContext, file: string, opts: ImportOptions): Promise<ImportOutcome> {
  const fail = (...problems: string[]): ImportOutcome => ({ file, ok: false, problems });
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return fail('not a file');
    if (stat.size > MAX_FILE_BYTES) return fail(`file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    bytes = await fs.readFile(file);
  } catch (err) {
    return fail(`cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const source = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (source.includes('\uFFFD')) return fail('file is not valid UTF-8 text');
  if (source.includes('\0')) return fail('file contains NUL bytes');

  const parsed = parseArticleFile(source);
  if (!parsed.ok) return fail(...parsed.problems);
  const fm = parsed.frontMatter;
  const dir = path.dirname(path.resolve(file));

  try {
    const blocks: Block[] = parseMarkdown(parsed.body);
    for (const block of blocks) {
      if (block.type === 'image') block.image = await loadImage(dir, block.src, opts.mediaDir);
    }
    const lead = fm.image ? await loadImage(dir, fm.image, opts.mediaDir) : null;
    const result = await saveArticle(
      ctx,
      {
        headline: fm.headline,
        dek: fm.dek,
        sectionPath: fm.section,
        authors: fm.authors,
        dateline: fm.dateline,
        publishedAt: fm.published ?? null,
        access: fm.access ?? opts.defaultAccess?.(fm.section) ?? 'metered',
        tags: fm.tags,
        bodyMarkdown: parsed.body,
        blocks,
        leadImage: lead ? { image: lead, caption: fm.image_caption, credit: fm.image_credit, alt: fm.image_alt } : null,
        slug: fm.slug,
        corrections: fm.corrections.map((c) => ({ at: c.date, text: c.text })),
      },
      { source: opts.source, now: opts.now(), timeZone: opts.timeZone },
    );
    return { file, ok: true, ...result };
  } catch (err) {
    if (err instanceof ImageProblem || err instanceof ContentError) return fail(err.message);
    throw err;
  }
}

class ImageProblem extends Error {}

async function loadImage(dir: string, ref: string, mediaDir: string): Promise<StoredImage> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) throw new ImageProblem(`image "${ref}": only files next to the article can be imported, not URLs`);
  const file = path.resolve(dir, ref);
  let input: Buffer;
  try {
    input = await fs.readFile(file);
  } catch (err) {
    throw new ImageProblem(`image "${ref}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return await storeImage({ dir: mediaDir, input });
  } catch (err) {
    if (err instanceof ImageError) throw new ImageProblem(`image "${ref}": ${err.message}`);
    throw err;
  }
}
