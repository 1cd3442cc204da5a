/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The Weekly on the site:
//   GET /editions                         published editions with their covers, newest first, paged
//   GET /editions/:week                   one edition: cover, title, introduction, contents
//   GET /editions/:week/edition.pdf|epub  the files, for readers holding `weekly` and staff
// Drafts do not exist for readers (404, downloads included). Others see the cover and the
// contents with the featured offer, and a download address answers them 403 with the offer
// page, never the file. The pages read the stories' summaries only (headline, dek, byline,
// picture), never their bodies; the files come from the build cache (EditionFiles): built
// once, rebuilt when the edition's content changes. Registered before the reader site's
// catch-all paths.
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { hydrateSummaries, imagesById, type ArticleSummary } from '../content/queries.ts';
import { loadEntitlements } from '../billing/billing-service.ts';
import { featuredOfferHeadline } from '../billing/catalog.ts';
import { bylineText } from '../newsletters/issue-content.ts';
import { editionStoryIds, getEdition, listEditions, parseCoverLines, parseStoryIds, type EditionRow } from '../editions/edition-store.ts';
import { editionContent } from '../editions/edition-content.ts';
import { fileStem, sendEditionFile, type EditionFormat } from '../editions/edition-download.ts';
import type { EditionFiles } from '../editions/edition-files.ts';
import { parseWeek, weekDateLine } from '../editions/week.ts';
import type { SiteContext } from './site-context.ts';
import type { SiteState } from './site-state.ts';
import { resolveViewer, setPrivate } from './viewer.ts';
import { errorPage, html, notFound, pageParam } from './reader-routes.tsx';
import { EditionPage, EditionRefusalPage, EditionsArchivePage, type EditionAccess, type EditionCover, type EditionEntry, type EditionSection } from './views/editions.tsx';

export interface EditionSiteDeps {
  db: Db;
  state: SiteState;
  secret: string;
  now: () => number;
  isHttps: boolean;
  mediaDir: string;
  files: EditionFiles;
  logger: Logger;
}

const PAGE_SIZE = 12;

/** The columns hydrateSummaries reads: what a contents line needs, never the body. */
const SUMMARY_COLUMNS = ['id', 'url_path', 'headline', 'dek', 'published_at', 'updated_at', 'access', 'section_id', 'lead_image_id', 'lead_alt', 'word_count'] as const;

/** The stories in reading order as the contents shows them: runs of one section. */
function sectionsOf(stories: ArticleSummary[]): EditionSection[] {
  const out: EditionSection[] = [];
  for (const s of stories) {
    let last = out[out.length - 1];
    if (!last || last.name !== s.section.name) out.push((last = { name: s.section.name, stories: [] }));
    last.stories.push({ articleId: s.id, headline: s.headline, dek: s.dek, byline: bylineText(s.authors), path: s.urlPath });
  }
  return out;
}

export function editionRoutes(deps: EditionSiteDeps): Hono {
  const { db, state } = deps;
  const app = new Hono();

  /** Readers holding `weekly`, and staff, download; everyone else is offered a subscription. */
  async function accessFor(c: Context): Promise<EditionAccess> {
    const viewer = await resolveViewer(c, deps);
    if (viewer.staff) return { canDownload: true };
    if (viewer.reader) {
      const entitlements = await loadEntitlements(db, viewer.reader, { isStaff: false, now: deps.now() });
      if (entitlements.weekly) return { canDownload: true };
    }
    return { canDownload: false, isSignedIn: viewer.reader !== null, offerHeadline: await featuredOfferHeadline(db) };
  }

  /** The published edition of a week named in the address, or null (a draft is not there for readers). */
  async function publishedEdition(c: Context): Promise<EditionRow | null> {
    const week = parseWeek(c.req.param('week') ?? '');
    const edition = week ? await getEdition(db, { week }) : null;
    return edition && edition.status === 'published' ? edition : null;
  }

  /**
   * Covers of several editions at once: the cover story's lead picture, else the first of the
   * edition's stories (when arranged) that has one. Only published stories count: a story
   * taken down takes its picture and alt text off the edition's pages too.
   */
  async function coversOf(editions: EditionRow[]): Promise<Map<number, EditionCover>> {
    const candidatesOf = new Map<number, number[]>();
    for (const e of editions) {
      const ids = [...new Set([...(e.cover_story_id !== null ? [e.cover_story_id] : []), ...(parseStoryIds(e.story_ids) ?? [])])];
      if (ids.length > 0) candidatesOf.set(e.id, ids);
    }
    const ids = [...new Set([...candidatesOf.values()].flat())];
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('articles')
      .select(['id', 'lead_image_id', 'lead_alt'])
      .where('id', 'in', ids)
      .where('status', '=', 'published')
      .where('lead_image_id', 'is not', null)
      .execute();
    const images = await imagesById(db, rows.map((r) => r.lead_image_id!));
    const byStory = new Map(rows.map((r) => [r.id, r]));
    const out = new Map<number, EditionCover>();
    for (const [editionId, candidates] of candidatesOf) {
      for (const storyId of candidates) {
        const row = byStory.get(storyId);
        const image = row?.lead_image_id ? images.get(row.lead_image_id) : undefined;
        if (row && image) {
          out.set(editionId, { image, alt: row.lead_alt });
          break;
        }
      }
    }
    return out;
  }

  /**
   * The edition's contents as its page shows them: the published stories' summaries in
   * reading order, and the cover (the cover story's lead picture, else the first story's that
   * has one). One query for the stories and one to hydrate them; bodies are never read.
   */
  async function contentsOf(edition: EditionRow, site: SiteContext): Promise<{ stories: ArticleSummary[]; cover: EditionCover | null }> {
    const { ids, coverId } = await editionStoryIds(db, { edition, timeZone: site.publication.timeZone });
    if (ids.length === 0) return { stories: [], cover: null };
    const rows = await db.selectFrom('articles').select(SUMMARY_COLUMNS).where('status', '=', 'published').where('id', 'in', ids).execute();
    const byId = new Map((await hydrateSummaries(db, rows)).map((s) => [s.id, s]));
    const stories = ids.map((id) => byId.get(id)).filter((s): s is ArticleSummary => s !== undefined);
    const pictured = [...stories.filter((s) => s.id === coverId), ...stories].find((s) => s.image);
    return { stories, cover: pictured?.image ? { image: pictured.image, alt: pictured.imageAlt } : null };
  }

  function entryOf(e: EditionRow, cover: EditionCover | null): EditionEntry {
    return { week: e.week, number: e.number, title: e.title, dateLine: weekDateLine(e.week), cover };
  }

  app.get('/editions', async (c) => {
    const { site } = await state.current();
    const page = pageParam(c.req.query('page'));
    if (page === null) return errorPage(c, site, 400);
    const [rows, total] = await Promise.all([
      listEditions(db, { publishedOnly: true, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      db.selectFrom('editions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirst().then((r) => Number(r?.n ?? 0)),
    ]);
    if (page > 1 && rows.length === 0) return notFound(c, site);
    const covers = await coversOf(rows);
    const entries = rows.map((e) => entryOf(e, covers.get(e.id) ?? null));
    c.header('cache-control', 'public, max-age=60');
    return c.html(await html(<EditionsArchivePage site={site} entries={entries} page={page} pageCount={Math.max(1, Math.ceil(total / PAGE_SIZE))} />));
  });

  app.get('/editions/:week', async (c) => {
    const { site } = await state.current();
    const edition = await publishedEdition(c);
    if (!edition) return notFound(c, site);
    const [access, contents] = await Promise.all([accessFor(c), contentsOf(edition, site)]);
    const data = {
      ...entryOf(edition, contents.cover),
      intro: edition.intro,
      coverLines: parseCoverLines(edition.cover_lines),
      sections: sectionsOf(contents.stories),
      storyCount: contents.stories.length,
    };
    // What the page offers depends on who asks: never kept by a shared cache.
    setPrivate(c);
    return c.html(await html(<EditionPage site={site} edition={data} access={access} />));
  });

  app.get('/editions/:week/:file', async (c) => {
    const { site } = await state.current();
    const m = /^edition\.(pdf|epub)$/.exec(c.req.param('file'));
    if (!m) return notFound(c, site);
    const format = m[1] as EditionFormat;
    const edition = await publishedEdition(c);
    if (!edition) return notFound(c, site);
    const access = await accessFor(c);
    setPrivate(c);
    if (!access.canDownload) {
      return c.html(await html(<EditionRefusalPage site={site} edition={entryOf(edition, (await coversOf([edition])).get(edition.id) ?? null)} access={access} />), 403);
    }
    const pub = site.publication;
    const content = await editionContent(db, { edition, mediaDir: deps.mediaDir, publicUrl: state.publicUrl(), timeZone: pub.timeZone, publication: { name: pub.name, tagline: pub.tagline } });
    return sendEditionFile(c, { files: deps.files, content, format, fileName: `${fileStem(site.publication.name)}-weekly-${edition.week}.${format}` });
  });

  return app;
}
