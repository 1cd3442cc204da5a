// The demo publication: an original newspaper seeded into an empty database so that a new
// install shows every feature on day one. Articles come from demo/articles through the real
// importer; their pictures are generated; their dates move so the newest story is today's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { App } from '../app.ts';
import { savePublication } from '../content/publication.ts';
import { savePolicy } from '../paywall/policy-store.ts';
import { DEFAULT_POLICY } from '../paywall/meter-policy.ts';
import { ensureSection } from '../content/article-store.ts';
import { importArticleFiles } from '../content/article-import.ts';
import { slugify } from '../content/slug.ts';
import { createStaffUser, generatePassword } from '../accounts/staff.ts';
import { renderIllustration, SCENES, PALETTES, type Scene, type Palette } from './illustrations.ts';
import { progressBar } from '../cli/progress.ts';
import { storeImage } from '../content/image-store.ts';
import { seedDemoCatalog } from '../billing/catalog.ts';
import { seedDemoLetters } from '../letters/demo.ts';
import { DemoProvider } from '../billing/providers/demo.ts';
import { getList } from '../newsletters/lists.ts';
import { setReaderLists } from '../newsletters/members.ts';
import { seedDemoIssues } from './demo-issues.ts';

export const DEMO_DIR = fileURLToPathSafe(new URL('../../demo/', import.meta.url));
const DAY = 86_400_000;

export const DEMO_PUBLICATION = {
  name: 'The Northfield Courier',
  tagline: 'Independent journalism for a connected world',
  timeZone: 'America/New_York',
};

function fileURLToPathSafe(u: URL): string {
  return decodeURIComponent(u.pathname);
}

export async function isDatabaseEmpty(app: App): Promise<boolean> {
  const row = await app.database.db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export async function seedDemoIfEmpty(app: App, opts: { print: (line: string) => void }): Promise<boolean> {
  if (!(await isDatabaseEmpty(app))) return false;
  await seedDemo(app, opts);
  return true;
}

interface DemoFile {
  group: string;
  file: string;
  source: string;
}

export async function seedDemo(app: App, opts: { print: (line: string) => void; now?: number; demoDir?: string }): Promise<void> {
  const demoDir = opts.demoDir ?? DEMO_DIR;
  const now = opts.now ?? app.now();
  const { db } = app.database;
  opts.print(`Seeding the demo publication "${DEMO_PUBLICATION.name}"…`);
  await savePublication(db, DEMO_PUBLICATION);
  // The paywall as a newsroom would start: 5 free stories a month, 10 with a free account,
  // two paragraphs of teaser, and every section metered unless a story says otherwise.
  await savePolicy(db, { ...DEFAULT_POLICY, sectionDefaults: { World: 'metered', USA: 'metered', Business: 'metered', Environment: 'metered', Science: 'metered', Culture: 'metered' } });

  const sections = parseYaml(fs.readFileSync(path.join(demoDir, 'sections.yaml'), 'utf8')) as { path: string; name: string; description?: string }[];
  for (const [position, s] of sections.entries()) {
    const id = await ensureSection(db, s.path);
    await db.updateTable('sections').set({ name: s.name, description: s.description ?? '', position }).where('id', '=', id).execute();
  }
  const authors = parseYaml(fs.readFileSync(path.join(demoDir, 'authors.yaml'), 'utf8')) as { name: string; title: string; bio: string }[];
  for (const a of authors) {
    const slug = slugify(a.name, { lowercase: true });
    await db
      .insertInto('authors')
      .values({ slug, name: a.name, title: a.title, bio: a.bio, created_at: now })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ name: a.name, title: a.title, bio: a.bio }))
      .execute();
  }

  // Work in a scratch copy: generated pictures beside the shifted article files.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-demo-'));
  try {
    const files = readDemoFiles(demoDir);
    const shift = dayShift(now);
    const photos = collectPhotos(demoDir);
    const bar = progressBar({ total: photos.length + files.length, title: 'Seeding demo' });
    await mapLimit(photos, 2, async (p) => {
      const dir = path.join(work, p.group, 'photos');
      fs.mkdirSync(dir, { recursive: true });
      const jpeg = await renderIllustration({ scene: p.scene, palette: p.palette, seed: p.name });
      fs.writeFileSync(path.join(dir, `${p.name}.jpg`), jpeg);
      // Encode the variants now, two pictures at a time; the importer then finds them stored.
      await storeImage({ dir: app.mediaDir, input: jpeg });
      bar.tick(`${p.name}.jpg`);
    });
    const shifted = files.map((f) => {
      const target = path.join(work, f.group, f.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, shiftDates(f.source, shift));
      return target;
    });
    const outcomes = await importArticleFiles(app.database, shifted, {
      mediaDir: app.mediaDir,
      timeZone: DEMO_PUBLICATION.timeZone,
      now: () => now,
      source: 'demo',
      onFile: (o) => bar.tick(path.basename(o.file)),
    });
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length) {
      throw new Error(`demo articles failed to import: ${failed.map((o) => `${path.basename(o.file)}: ${o.ok ? '' : o.problems.join('; ')}`).join(' | ')}`);
    }
    bar.done(`Seeded ${outcomes.length} articles, ${photos.length} pictures, ${sections.length} sections, ${authors.length} authors`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const staff = [
    { email: 'admin@example.com', role: 'admin' as const, name: 'Ada Admin' },
    { email: 'editor@example.com', role: 'editor' as const, name: 'Eddie Editor' },
    { email: 'writer@example.com', role: 'writer' as const, name: 'Wren Writer' },
  ];
  await seedDemoCatalog(db);
  await seedDemoLetters(db, { now });
  await seedDemoReaders(app, now);
  const issues = await seedDemoIssues(app, now);
  if (issues.dailyDate) opts.print(`The Daily of ${issues.dailyDate} sent to the demo readers (see the outbox folder without SMTP_URL).`);
  if (issues.week) opts.print(`The Weekly of ${issues.week} published at /editions/${issues.week}.`);

  opts.print('Staff accounts (passwords are shown once; sign in at /admin/login):');
  for (const s of staff) {
    const password = generatePassword();
    await createStaffUser(db, { ...s, password }, now);
    opts.print(`  ${s.role.padEnd(7)} ${s.email.padEnd(20)} ${password}`);
  }
  await app.site.refresh();
}

function readDemoFiles(demoDir: string): DemoFile[] {
  const root = path.join(demoDir, 'articles');
  const out: DemoFile[] = [];
  for (const group of fs.readdirSync(root).sort()) {
    const dir = path.join(root, group);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith('.md')) out.push({ group, file, source: fs.readFileSync(path.join(dir, file), 'utf8') });
    }
  }
  return out;
}

function collectPhotos(demoDir: string): { group: string; name: string; scene: Scene; palette: Palette }[] {
  const root = path.join(demoDir, 'articles');
  const out: { group: string; name: string; scene: Scene; palette: Palette }[] = [];
  for (const group of fs.readdirSync(root).sort()) {
    const file = path.join(root, group, 'photos.yaml');
    if (!fs.existsSync(file)) continue;
    const list = parseYaml(fs.readFileSync(file, 'utf8')) as Record<string, { scene: string; palette: string }>;
    for (const [name, spec] of Object.entries(list)) {
      const scene = (SCENES as readonly string[]).includes(spec.scene) ? (spec.scene as Scene) : 'abstract';
      const palette = (PALETTES as readonly string[]).includes(spec.palette) ? (spec.palette as Palette) : 'day';
      out.push({ group, name, scene, palette });
    }
  }
  return out;
}

const PUBLISHED_LINE = /^(published:[ \t]*["']?)(\d{4}-\d{2}-\d{2})(T[^"'\n]*)?(["']?)[ \t]*$/gm;
const CORRECTION_DATE = /^(\s*-?\s*date:\s*["']?)(\d{4}-\d{2}-\d{2})/gm;

/** The demo articles were written as of this day: every story but the scheduled one is earlier. */
const DEMO_WRITTEN_AT = Date.parse('2026-11-29T00:00:00Z');

/** Whole days to add so that the demo's newest stories are from the last day and none is ahead of now. */
export function dayShift(now: number): number {
  return Math.floor((now - DEMO_WRITTEN_AT) / DAY);
}

export function shiftDates(source: string, days: number): string {
  const move = (ymd: string) => new Date(Date.parse(`${ymd}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
  return source
    .replace(PUBLISHED_LINE, (_all, pre, ymd, rest = '', post) => `${pre}${move(ymd)}${rest}${post}`)
    .replace(CORRECTION_DATE, (_all, pre, ymd) => `${pre}${move(ymd)}`);
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * A few readers at example.com: free sign-ups to the Daily and paying subscribers, who pay
 * through the demo provider's real checkout so their subscriptions went through the same
 * lifecycle as anyone's. Free readers chose the Daily on their account page; subscribers get
 * it with their plan. Beside them, people who signed up with an address alone: confirmed,
 * one still to confirm, one who unsubscribed.
 */
async function seedDemoSignups(app: App, now: number): Promise<void> {
  const { db } = app.database;
  const daily = await getList(db, { slug: 'daily' });
  if (!daily) return;
  const DAY = 86_400_000;
  const signups = [
    ...Array.from({ length: 6 }, (_, i) => ({ email: `signup${i + 1}@example.com`, status: 'active' as const, daysAgo: 30 - i * 4 })),
    { email: 'pending@example.com', status: 'pending' as const, daysAgo: 1 },
    { email: 'former@example.com', status: 'unsubscribed' as const, daysAgo: 40 },
  ];
  for (const s of signups) {
    const at = now - s.daysAgo * DAY;
    await db.insertInto('list_members').values({
      list_id: daily.id, email: s.email, reader_id: null, status: s.status,
      // A pending sign-up whose link nobody has (the demo sends no mail for it).
      confirm_token_hash: s.status === 'pending' ? 'demo-unknown-token' : null,
      confirm_expires_at: s.status === 'pending' ? at + 7 * DAY : null,
      source: 'site', created_at: at, confirmed_at: s.status === 'pending' ? null : at + 600_000, unsubscribed_at: s.status === 'unsubscribed' ? now - 2 * DAY : null,
    }).onConflict((oc) => oc.columns(['list_id', 'email']).doNothing()).execute();
  }
}

async function seedDemoReaders(app: App, now: number): Promise<void> {
  const { db } = app.database;
  const readers = [
    { email: 'reader1@example.com', name: 'Rosa Free', plan: null },
    { email: 'reader2@example.com', name: 'Dev Daily', plan: null },
    { email: 'subscriber1@example.com', name: 'Sam Subscriber', plan: 'intro-15' },
    { email: 'subscriber2@example.com', name: 'Yara Yearly', plan: 'annual' },
  ];
  for (const r of readers) {
    const { id } = await db.insertInto('readers').values({ email: r.email, name: r.name, newsletters: '[]', provider_customer_id: null, created_at: now, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
    const daily = await getList(db, { slug: 'daily' });
    if (!r.plan && daily) await setReaderLists(db, { id, email: r.email }, [daily.id], now);
    if (!r.plan || !(app.provider instanceof DemoProvider)) continue;
    const { url } = await app.billing.startCheckout({ reader: { id, email: r.email, customerId: null }, offerSlug: r.plan, couponCode: null, publicUrl: app.site.publicUrl() });
    const paid = await app.provider.pay(url.split('/').pop()!, '4242 4242 4242 4242');
    if (!paid.ok) throw new Error(`demo subscriber checkout failed: ${paid.reason}`);
  }
  await seedDemoSignups(app, now);
  await app.runJobs();
}
