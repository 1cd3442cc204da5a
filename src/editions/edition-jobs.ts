// The Weekly's part of the periodic jobs. On Monday, in the publication's time zone:
//   06:00  the edition of the week just ended is prepared (a draft with the automatic
//          selection) and its PDF and EPUB are built, so editors can check them; while it is
//          a draft the files are kept up to date with their changes (checked once a minute);
//   10:00  it is published and announced on the `weekly` list, unless an editor published
//          it already (or it has no stories: then it stays a draft, and editors are told in the log).
// A site that was down at 10:00 still publishes within PUBLISH_GRACE_MS; one first started
// later in the week leaves last week's edition to the editors.
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { getPublication } from '../content/publication.ts';
import { editionContent } from './edition-content.ts';
import type { EditionFile, EditionFiles } from './edition-files.ts';
import type { EditionContent } from './types.ts';
import { announceIfMissing, ensureEdition, getEdition, publishEdition, type EditionRow } from './edition-store.ts';
import { lastCompleteWeek, localInstant, mondayAfter } from './week.ts';

/** Monday's wall-clock time the edition is prepared and built (publication's zone). */
export const PREPARE_AT = { hour: 6, minute: 0 };
/** Monday's wall-clock time the edition is published and announced. */
export const PUBLISH_AT = { hour: 10, minute: 0 };
/** How late an automatic publication may still happen (the site was down at 10:00). */
export const PUBLISH_GRACE_MS = 12 * 3_600_000;
/** How often a draft's files are checked against editors' changes (a check reads every story). */
export const REBUILD_CHECK_MS = 60_000;

export type EditionBuild = { ok: true; pdf: EditionFile; epub: EditionFile; content: EditionContent } | { ok: false; reason: 'no-stories' };

/** Both files of an edition as it stands now, built when out of date; an edition without stories has none. */
export async function buildEditionFiles(deps: { db: Db; files: EditionFiles; mediaDir: string; publicUrl: string }, edition: EditionRow): Promise<EditionBuild> {
  const publication = await getPublication(deps.db);
  const content = await editionContent(deps.db, {
    edition,
    mediaDir: deps.mediaDir,
    publicUrl: deps.publicUrl,
    timeZone: publication.timeZone,
    publication: { name: publication.name, tagline: publication.tagline },
  });
  if (content.stories.length === 0) return { ok: false, reason: 'no-stories' };
  const pdf = await deps.files.file(content, 'pdf');
  const epub = await deps.files.file(content, 'epub');
  return { ok: true, pdf, epub, content };
}

/** The two moments of the week just ended, as instants. */
export function editionTimes(now: number, timeZone: string): { week: string; prepareAt: number; publishAt: number } {
  const week = lastCompleteWeek(now, timeZone);
  const monday = mondayAfter(week);
  return {
    week,
    prepareAt: localInstant(monday, PREPARE_AT.hour, PREPARE_AT.minute, timeZone),
    publishAt: localInstant(monday, PUBLISH_AT.hour, PUBLISH_AT.minute, timeZone),
  };
}

export interface EditionJobsReport {
  week: string | null;
  /** The edition prepared or found this tick. */
  editionId: number | null;
  /** Files built this tick. */
  built: string[];
  published: boolean;
  announcedIssueId: number | null;
}

/** One per app: remembers when the draft's files were last checked, and what was already logged. */
export class EditionJobs {
  private readonly deps: { db: Db; files: EditionFiles; mediaDir: string; logger?: Logger };
  private checked: { editionId: number; updatedAt: number; at: number } | null = null;
  private warnedNoStories = new Set<number>();

  constructor(deps: { db: Db; files: EditionFiles; mediaDir: string; logger?: Logger }) {
    this.deps = deps;
  }

  async run(opts: { now: number; publicUrl: string }): Promise<EditionJobsReport> {
    const { db, logger } = this.deps;
    const { now } = opts;
    const report: EditionJobsReport = { week: null, editionId: null, built: [], published: false, announcedIssueId: null };
    const { timeZone } = await getPublication(db);
    const times = editionTimes(now, timeZone);
    if (now < times.prepareAt) return report;
    report.week = times.week;

    let edition = await getEdition(db, { week: times.week });
    if (!edition) {
      // Only on the Monday itself: a site first started later leaves the week to the editors.
      if (now >= times.publishAt + PUBLISH_GRACE_MS) return report;
      edition = await ensureEdition(db, { week: times.week, timeZone, now });
      logger?.info({ week: edition.week, editionId: edition.id }, 'weekly edition prepared');
    }
    report.editionId = edition.id;

    if (edition.status === 'draft' && now >= times.publishAt && now < times.publishAt + PUBLISH_GRACE_MS) {
      const result = await publishEdition({ db, publicUrl: opts.publicUrl, now }, edition.id);
      if (result.ok) {
        report.published = true;
        report.announcedIssueId = result.announcedIssueId;
        logger?.info({ week: edition.week, editionId: edition.id, announcedIssueId: result.announcedIssueId }, 'weekly edition published');
        edition = (await getEdition(db, { id: edition.id }))!;
        this.checked = null;
      } else if (result.reason === 'no-stories' && !this.warnedNoStories.has(edition.id)) {
        this.warnedNoStories.add(edition.id);
        logger?.warn({ week: edition.week, editionId: edition.id }, 'weekly edition has no stories; not published');
      }
    }

    // Published, but a crash came before the announcement went into the outbox: announce now.
    if (edition.status === 'published' && edition.announced_issue_id === null && edition.published_at !== null && now - edition.published_at < PUBLISH_GRACE_MS) {
      report.announcedIssueId = await announceIfMissing({ db, publicUrl: opts.publicUrl, now }, edition);
      if (report.announcedIssueId !== null) edition = (await getEdition(db, { id: edition.id }))!;
    }

    // Drafts are kept built for the editors; a published edition once more, right after it
    // went out, so the first readers do not wait (later changes rebuild on request).
    const isDue = this.checked === null
      || this.checked.editionId !== edition.id
      || this.checked.updatedAt !== edition.updated_at
      || (edition.status === 'draft' && now - this.checked.at >= REBUILD_CHECK_MS);
    if (isDue) {
      this.checked = { editionId: edition.id, updatedAt: edition.updated_at, at: now };
      const build = await buildEditionFiles({ ...this.deps, publicUrl: opts.publicUrl }, edition);
      if (build.ok) for (const f of [build.pdf, build.epub]) if (f.isFresh) report.built.push(f.path);
    }
    return report;
  }
}
