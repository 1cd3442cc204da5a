/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The Weekly on the site:
//   GET /editions                         published editions with their covers, newest first, paged
//   GET /editions/:week                   one edition: cover, title, introduction, contents
//   GET /editions/:week/edition.pdf|epub  the files, for readers holding `weekly` and staff
// Drafts do not exist for readers (404, downloads included). Others see the cover and the
// contents with the featured offer, and a download address answers them 403 with the offer
// page, never the file. Files come from the build cache (EditionFiles): built once, rebuilt
// when the edition's content changes. Registered before the reader site's catch-all paths.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { imagesById } from '../content/queries.ts';
import { loadEntitlements } from '../billing/billing-service.ts';
import { featuredOfferHeadline } from '../billing/catalog.ts';
import { getEdition, listEditions, type EditionRow } from '../editions/edition-store.ts';
import { editionContent } from '../editions/edition-content.ts';
import type { EditionFiles } from '../editions/edition-files.ts';
import type { EditionContent } from '../editions/types.ts';
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
const FORMATS = { pdf: 'application/pdf', epub: 'application/epub+zip' } as const;
type Format = keyof typeof FORMATS;

/** "The Test Courier" → "the-test-courier": the start of a download's file name. */
export function fileStem(publicationName: string): string {
  const stem = publicationName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'masthead';
}

/** A site path for a link stored as an absolute URL: the page follows the site wherever it is served. */
function sitePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return '/';
  }
}

/** The stories in reading order as the contents shows them: runs of one section. */
function sectionsOf(content: EditionContent): EditionSection[] {
  const out: EditionSection[] = [];
  for (const s of content.stories) {
    let last = out[out.length - 1];
    if (!last || last.name !== s.sectionName) out.push((last = { name: s.sectionName, stories: [] }));
    last.stories.push({ articleId: s.articleId, headline: s.headline, dek: s.dek, byline: s.byline, path: sitePath(s.url) });
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

  /** Covers of several editions at once: each cover story's lead picture (else the first story's, when arranged). */
  async function coversOf(editions: EditionRow[]): Promise<Map<number, EditionCover>> {
    const storyOf = new Map<number, number>();
    for (const e of editions) {
      const first = e.story_ids ? (JSON.parse(e.story_ids) as number[])[0] : undefined;
      const id = e.cover_story_id ?? first ?? null;
      if (id !== null) storyOf.set(e.id, id);
    }
    const ids = [...new Set(storyOf.values())];
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('articles').select(['id', 'lead_image_id', 'lead_alt']).where('id', 'in', ids).execute();
    const images = await imagesById(db, rows.map((r) => r.lead_image_id).filter((x): x is string => x !== null));
    const byStory = new Map(rows.map((r) => [r.id, r]));
    const out = new Map<number, EditionCover>();
    for (const [editionId, storyId] of storyOf) {
      const row = byStory.get(storyId);
      const image = row?.lead_image_id ? images.get(row.lead_image_id) : undefined;
      if (row && image) out.set(editionId, { image, alt: row.lead_alt });
    }
    return out;
  }

  /** The cover picture the content chose, as the site serves it: its stored variants under /media. */
  async function coverOfContent(content: EditionContent): Promise<EditionCover | null> {
    const file = content.coverImage?.file;
    if (!file) return null;
    const folder = path.dirname(path.resolve(file));
    if (path.dirname(folder) !== path.resolve(deps.mediaDir)) return null;
    const image = (await imagesById(db, [path.basename(folder)])).values().next().value;
    return image ? { image, alt: content.coverImage!.alt } : null;
  }

  function entryOf(e: EditionRow, cover: EditionCover | null): EditionEntry {
    return { week: e.week, number: e.number, title: e.title, dateLine: weekDateLine(e.week), cover };
  }

  async function contentOf(edition: EditionRow, site: SiteContext): Promise<EditionContent> {
    const pub = site.publication;
    return editionContent(db, { edition, mediaDir: deps.mediaDir, publicUrl: state.publicUrl(), timeZone: pub.timeZone, publication: { name: pub.name, tagline: pub.tagline } });
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
    const [access, content] = await Promise.all([accessFor(c), contentOf(edition, site)]);
    const cover = (await coverOfContent(content)) ?? (await coversOf([edition])).get(edition.id) ?? null;
    const data = {
      ...entryOf(edition, cover),
      title: content.title || edition.title,
      dateLine: content.dateLine || weekDateLine(edition.week),
      intro: content.intro,
      coverLines: content.coverLines,
      sections: sectionsOf(content),
      storyCount: content.stories.length,
    };
    // What the page offers depends on who asks: never kept by a shared cache.
    setPrivate(c);
    return c.html(await html(<EditionPage site={site} edition={data} access={access} />));
  });

  app.get('/editions/:week/:file', async (c) => {
    const { site } = await state.current();
    const m = /^edition\.(pdf|epub)$/.exec(c.req.param('file'));
    if (!m) return notFound(c, site);
    const format = m[1] as Format;
    const edition = await publishedEdition(c);
    if (!edition) return notFound(c, site);
    const access = await accessFor(c);
    setPrivate(c);
    if (!access.canDownload) {
      return c.html(await html(<EditionRefusalPage site={site} edition={entryOf(edition, (await coversOf([edition])).get(edition.id) ?? null)} access={access} />), 403);
    }
    const content = await contentOf(edition, site);
    return sendEditionFile(c, { files: deps.files, content, format, fileName: `${fileStem(site.publication.name)}-weekly-${edition.week}.${format}` });
  });

  return app;
}

/**
 * Answers with a built edition file, streamed from disk. The file is opened before answering:
 * a newer build may remove it a moment later, and an open file stays readable. Shared by the
 * newsroom's previews.
 */
export async function sendEditionFile(c: Context, o: { files: EditionFiles; content: EditionContent; format: 'pdf' | 'epub'; fileName: string }): Promise<Response> {
  let handle: fs.promises.FileHandle | null = null;
  for (let attempt = 0; attempt < 2 && !handle; attempt++) {
    const built = await o.files.file(o.content, o.format);
    try {
      handle = await fs.promises.open(built.path, 'r');
    } catch (err) {
      // Removed by a newer build between the two steps: ask again (it is built now).
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 1) throw err;
    }
  }
  const { size } = await handle!.stat();
  const headers = {
    'content-type': FORMATS[o.format],
    'content-length': String(size),
    'content-disposition': `attachment; filename="${o.fileName.replace(/["\\\r\n]/g, '')}"`,
    'cache-control': 'private, no-store',
    vary: 'Cookie',
    'x-content-type-options': 'nosniff',
  };
  if (c.req.method === 'HEAD') {
    await handle!.close();
    return c.body(null, 200, headers);
  }
  const stream = Readable.toWeb(handle!.createReadStream()) as unknown as ReadableStream<Uint8Array>;
  return c.body(stream, 200, headers);
}
