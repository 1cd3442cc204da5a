// The built PDF and EPUB of editions, as files under one folder: `<week>-<hash>.pdf|.epub`,
// where the hash covers the EditionContent and the size and time of every picture it names.
// A file is built once and then served from disk; any change to a story in the edition, to
// the edition or to a picture changes the hash, so the next request builds the new file and
// the old ones of that week are removed. Several app instances may share the folder: files
// appear by rename only, so nobody reads half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { stableHash } from '../shared/stable-hash.ts';
import { writeEditionPdf } from './pdf/render-pdf.ts';
import { renderEditionEpub } from './epub/render-epub.ts';
import type { EditionContent } from './types.ts';

export type EditionFormat = 'pdf' | 'epub';

export interface EditionFile {
  path: string;
  bytes: number;
  /** True when this call (or one it joined) built the file; false when it was on disk already. */
  isFresh: boolean;
}

/** Every picture file the edition names, once each, in a stable order. */
export function pictureFiles(content: EditionContent): string[] {
  const files = new Set<string>();
  if (content.coverImage) files.add(content.coverImage.file);
  for (const s of content.stories) {
    if (s.image) files.add(s.image.file);
    for (const f of Object.values(s.inlineImages)) files.add(f);
  }
  return [...files].sort();
}

/** Sixteen hex digits (two 32-bit stable hashes with different seeds) of the content and its pictures' size and time. */
export async function contentHash(content: EditionContent): Promise<string> {
  const pictures = await Promise.all(pictureFiles(content).map(async (f) => {
    try {
      const s = await stat(f);
      return `${f}:${s.size}:${Math.floor(s.mtimeMs)}`;
    } catch {
      return `${f}:missing`;
    }
  }));
  const key = `${JSON.stringify(content)}\n${pictures.join('\n')}`;
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(stableHash(key)) + hex(stableHash(`edition\n${key}`));
}

/** The file name for a week's build: "2026-W47-0123456789abcdef.pdf". */
export function editionFileName(week: string, hash: string, format: EditionFormat): string {
  return `${week}-${hash}.${format}`;
}

export class EditionFiles {
  private readonly dir: string;
  private readonly logger?: Logger;
  /** Builds under way in this process, by target path: concurrent requests share one. */
  private readonly building = new Map<string, Promise<EditionFile>>();

  constructor(deps: { dir: string; logger?: Logger }) {
    this.dir = path.resolve(deps.dir);
    this.logger = deps.logger;
  }

  /** The up-to-date file of this content in this format, built first when there is none. */
  async file(content: EditionContent, format: 'pdf' | 'epub'): Promise<EditionFile> {
    const hash = await contentHash(content);
    const target = path.join(this.dir, editionFileName(content.week, hash, format));
    const existing = await sizeOf(target);
    if (existing !== null) return { path: target, bytes: existing, isFresh: false };

    let pending = this.building.get(target);
    if (!pending) {
      pending = this.build(content, format, target).finally(() => this.building.delete(target));
      this.building.set(target, pending);
    }
    return pending;
  }

  private async build(content: EditionContent, format: EditionFormat, target: string): Promise<EditionFile> {
    const started = performance.now();
    await mkdir(this.dir, { recursive: true });
    const temp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      if (format === 'pdf') await writeEditionPdf({ content, file: temp });
      else await writeFile(temp, await renderEditionEpub(content));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const bytes = (await sizeOf(target)) ?? 0;
    await this.removeOlder(content.week, format, target);
    this.logger?.info({ week: content.week, format, bytes, ms: Math.round(performance.now() - started) }, 'edition built');
    return { path: target, bytes, isFresh: true };
  }

  /**
   * Removes the week's other builds in this format that are not newer than the one just made
   * (a process that built from a later copy keeps its file). Readers already streaming an old
   * file keep reading it: an unlinked file lives until it is closed.
   */
  private async removeOlder(week: string, format: EditionFormat, keep: string): Promise<void> {
    const keepTime = (await stat(keep)).mtimeMs;
    const prefix = `${week}-`;
    const suffix = `.${format}`;
    for (const name of await readdir(this.dir)) {
      const file = path.join(this.dir, name);
      if (!name.startsWith(prefix) || !name.endsWith(suffix) || file === keep) continue;
      try {
        if ((await stat(file)).mtimeMs <= keepTime) await rm(file, { force: true });
      } catch {
        // Removed by another process meanwhile.
      }
    }
  }
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}
