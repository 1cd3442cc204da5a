// The built PDF and EPUB of editions, as files under one folder: `<week>-<hash>.pdf|.epub`,
// where the hash covers RENDER_VERSION, the EditionContent and the size and time of every
// picture it names. A file is built once and then served from disk; any change to a story in
// the edition, to the edition, to a picture or to the renderers (RENDER_VERSION) changes the
// hash, so the next request builds the new file and the old ones of that week are removed.
// Several app instances may share the folder: a file is written under a temporary name,
// fsynced and then renamed into place, so nobody reads half a file and a crash leaves no
// empty one (an empty file is taken as missing and rebuilt anyway; stray temporary files
// older than an hour are swept). A process builds one file at a time (builds are slow and
// memory-hungry); requests for a file being built share that build, and a build that failed
// is not tried again for FAILURE_BACKOFF_MS (the callers get the same error meanwhile).
// The rendering itself runs in a worker thread (render-worker.ts), so readers' requests go
// on being served while a build lays out its pages.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { stableHash } from '../shared/stable-hash.ts';
import { renderInWorker } from './render-worker.ts';
import type { EditionContent } from './types.ts';

/** Bump when the renderers, their fonts or templates change the files, so built ones are replaced. */
export const RENDER_VERSION = 1;
/** How long a failed build is not tried again for the same file. */
export const FAILURE_BACKOFF_MS = 30_000;
/** Temporary files older than this are left over from a crash, not a build under way. */
const STALE_TEMP_MS = 3_600_000;

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

/** Sixteen hex digits (two 32-bit stable hashes with different seeds) of RENDER_VERSION, the content and its pictures' size and time. */
export async function contentHash(content: EditionContent, renderVersion: number = RENDER_VERSION): Promise<string> {
  const pictures = await Promise.all(pictureFiles(content).map(async (f) => {
    try {
      const s = await stat(f);
      return `${f}:${s.size}:${Math.floor(s.mtimeMs)}`;
    } catch {
      return `${f}:missing`;
    }
  }));
  const key = `render ${renderVersion}\n${JSON.stringify(content)}\n${pictures.join('\n')}`;
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(stableHash(key)) + hex(stableHash(`edition\n${key}`));
}

/** The file name for a week's build: "2026-W47-0123456789abcdef.pdf". */
export function editionFileName(week: string, hash: string, format: EditionFormat): string {
  return `${week}-${hash}.${format}`;
}

/**
 * Writes the edition in a format to a file. The real renderers run in a worker thread by
 * default (`renderInWorker`: PDFKit's layout would otherwise hold this event loop); tests
 * pass their own.
 */
export type EditionRenderer = (content: EditionContent, format: EditionFormat, file: string) => Promise<void>;

export class EditionFiles {
  private readonly dir: string;
  private readonly logger?: Logger;
  private readonly render: EditionRenderer;
  private readonly now: () => number;
  /** Builds under way or waiting in this process, by target path: concurrent requests share one. */
  private readonly building = new Map<string, Promise<EditionFile>>();
  /** Builds that failed lately, by target path, with their error. */
  private readonly failed = new Map<string, { at: number; error: unknown }>();
  /** The end of the last build queued: builds run one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(deps: { dir: string; logger?: Logger; render?: EditionRenderer; now?: () => number }) {
    this.dir = path.resolve(deps.dir);
    this.logger = deps.logger;
    this.render = deps.render ?? renderInWorker;
    this.now = deps.now ?? Date.now;
  }

  /** The up-to-date file of this content in this format, built first when there is none. */
  async file(content: EditionContent, format: 'pdf' | 'epub'): Promise<EditionFile> {
    const hash = await contentHash(content);
    const target = path.join(this.dir, editionFileName(content.week, hash, format));
    const existing = await sizeOf(target);
    if (existing !== null) return { path: target, bytes: existing, isFresh: false };

    let pending = this.building.get(target);
    if (!pending) {
      const failure = this.failed.get(target);
      if (failure && this.now() - failure.at < FAILURE_BACKOFF_MS) throw failure.error;
      pending = this.enqueue(() => this.build(content, format, target)).then(
        (built) => {
          this.failed.delete(target);
          return built;
        },
        (err: unknown) => {
          const at = this.now();
          for (const [key, f] of this.failed) if (at - f.at >= FAILURE_BACKOFF_MS) this.failed.delete(key);
          this.failed.set(target, { at, error: err });
          throw err;
        },
      ).finally(() => this.building.delete(target));
      this.building.set(target, pending);
    }
    return pending;
  }

  /** Runs the task after every build queued before it. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private async build(content: EditionContent, format: EditionFormat, target: string): Promise<EditionFile> {
    // Another process may have built it while this one waited its turn.
    const existing = await sizeOf(target);
    if (existing !== null) return { path: target, bytes: existing, isFresh: false };
    const started = performance.now();
    await mkdir(this.dir, { recursive: true });
    const temp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.render(content, format, temp);
      // On disk before it has the real name, so a crash cannot leave an empty file behind it.
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
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
   * (a process that built from a later copy keeps its file), and any temporary file left from
   * a crash over an hour ago. Readers already streaming an old file keep reading it: an
   * unlinked file lives until it is closed.
   */
  private async removeOlder(week: string, format: EditionFormat, keep: string): Promise<void> {
    let keepTime: number;
    try {
      keepTime = (await stat(keep)).mtimeMs;
    } catch {
      // Already replaced and removed by another process that built from a later copy: its build sweeps.
      return;
    }
    const prefix = `${week}-`;
    const suffix = `.${format}`;
    const staleBefore = Date.now() - STALE_TEMP_MS;
    for (const name of await readdir(this.dir)) {
      const file = path.join(this.dir, name);
      if (file === keep) continue;
      const isOlderBuild = name.startsWith(prefix) && name.endsWith(suffix);
      const isTemp = name.endsWith('.tmp');
      if (!isOlderBuild && !isTemp) continue;
      try {
        const mtime = (await stat(file)).mtimeMs;
        if (isOlderBuild ? mtime <= keepTime : mtime < staleBefore) await rm(file, { force: true });
      } catch {
        // Removed by another process meanwhile.
      }
    }
  }
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    // Empty: not a finished build (a crash on a system that lost the unsynced data); build again.
    return s.isFile() && s.size > 0 ? s.size : null;
  } catch {
    return null;
  }
}
