// `masthead weekly build|publish [--week YYYY-Www]`: the Weekly from the command line, for
// operators and for checking an edition before Monday's jobs do the same.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { App } from '../app.ts';
import { getPublication } from '../content/publication.ts';
import { buildEditionFiles } from '../editions/edition-jobs.ts';
import { editionCandidates, ensureEdition, EditionOrderError, getEdition, publishEdition } from '../editions/edition-store.ts';
import { lastCompleteWeek, parseWeek, weekRange } from '../editions/week.ts';

export const WEEKLY_HELP = 'masthead weekly build [--week YYYY-Www]\nmasthead weekly publish [--week YYYY-Www]\n\nbuild prepares the edition of the week (a draft with the automatic selection, unless one exists) and builds its PDF and EPUB under $MASTHEAD_DATA/editions/, printing their paths, the PDF\'s page count and the time taken. Files already up to date are not built again.\n\npublish publishes the edition (preparing it first if needed) and queues its announcement on the Weekly\'s list; the site (masthead serve) sends it.\n\nThe week defaults to the last complete week (Monday to Sunday in the publication\'s time zone). The site does both by itself on Mondays: build at 06:00, publish at 10:00.\n';

/** A problem to report in one line (exit 1), as opposed to a bug. */
export class WeeklyUsageError extends Error {}

type Io = { out: (s: string) => void; err: (s: string) => void };

export function parseWeeklyArgs(args: string[]): { sub: 'build' | 'publish'; week: string | null } {
  const [sub, ...rest] = args;
  if (sub !== 'build' && sub !== 'publish') throw new WeeklyUsageError('usage: masthead weekly build|publish [--week YYYY-Www]');
  let values: { week?: string };
  try {
    values = parseArgs({ args: rest, options: { week: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    throw new WeeklyUsageError((err as Error).message.split('\n')[0]);
  }
  if (values.week === undefined) return { sub, week: null };
  const week = parseWeek(values.week);
  if (!week) throw new WeeklyUsageError(`--week must be an ISO week as YYYY-Www (e.g. 2026-W47), not "${values.week}"`);
  return { sub, week };
}

/** Pages in a PDF written by PDFKit (one page object each); null when unreadable. */
export async function pdfPageCount(file: string): Promise<number | null> {
  try {
    const text = (await readFile(file)).toString('latin1');
    const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g);
    return pages ? pages.length : null;
  } catch {
    return null;
  }
}

export async function weeklyCommand(app: App, args: string[], io: Io): Promise<number> {
  const { sub, week: asked } = parseWeeklyArgs(args);
  const db = app.database.db;
  const { timeZone } = await getPublication(db);
  const now = app.now();
  const week = asked ?? lastCompleteWeek(now, timeZone);
  // Loaded first: a CLI process has served no page, so publicUrl() alone would not know the saved address.
  const publicUrl = await app.site.loadedPublicUrl();

  let edition = await getEdition(db, { week });
  if (!edition) {
    if (weekRange(week, timeZone).startsAt > now) throw new WeeklyUsageError(`the week ${week} has not begun`);
    // No draft left behind for a week with nothing in it.
    if ((await editionCandidates(db, { week, timeZone })).length === 0) throw new WeeklyUsageError(`the week ${week} has no published stories: no edition to ${sub}`);
    try {
      edition = await ensureEdition(db, { week, timeZone, now });
    } catch (err) {
      if (err instanceof EditionOrderError) throw new WeeklyUsageError(err.message);
      throw err;
    }
    io.out(`Prepared the edition of ${week} (No. ${edition.number}, draft)\n`);
  }

  if (sub === 'build') {
    const started = performance.now();
    const build = await buildEditionFiles({ db, files: app.editions.files, mediaDir: app.mediaDir, publicUrl }, edition);
    if (!build.ok) throw new WeeklyUsageError(`the edition of ${week} has no stories: nothing to build`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const pages = await pdfPageCount(build.pdf.path);
    io.out(`The Weekly No. ${edition.number}, ${week} (${edition.status}): ${build.content.stories.length} stories\n`);
    io.out(`PDF   ${build.pdf.path}  ${kb(build.pdf.bytes)}${pages !== null ? `, ${pages} pages` : ''}${build.pdf.isFresh ? '' : ' (up to date)'}\n`);
    io.out(`EPUB  ${build.epub.path}  ${kb(build.epub.bytes)}${build.epub.isFresh ? '' : ' (up to date)'}\n`);
    io.out(`${seconds} s\n`);
    return 0;
  }

  const result = await publishEdition({ db, publicUrl, now }, edition.id);
  if (!result.ok) {
    if (result.reason === 'already-published') throw new WeeklyUsageError(`the edition of ${week} is already published`);
    if (result.reason === 'no-stories') throw new WeeklyUsageError(`the edition of ${week} has no stories: nothing to publish`);
    throw new WeeklyUsageError(`the edition of ${week} was deleted`);
  }
  io.out(`Published the Weekly No. ${edition.number}, ${week}: ${publicUrl.replace(/\/+$/, '')}/editions/${week}\n`);
  io.out(result.announcedIssueId !== null
    ? `Announcement queued (issue ${result.announcedIssueId} of the Weekly's list); the site sends it (masthead serve).\n`
    : 'No announcement: the Weekly\'s list is switched off.\n');
  return 0;
}

function kb(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
