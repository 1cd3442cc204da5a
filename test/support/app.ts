// Builds the real app against a fresh database of the given dialect, with a fixed clock,
// and sends it requests without a port (app.fetch). Builders make articles through the
// same save path the importer uses.
import path from 'node:path';
import { buildApp, type App, type BuildOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Dialect } from '../../src/db/database.ts';
import { saveArticle, type ArticleInput } from '../../src/content/article-store.ts';
import { parseMarkdown } from '../../src/content/markdown.ts';
import { savePublication, type Publication } from '../../src/content/publication.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export const PUBLIC_URL = 'https://news.example.com';
/** 2026-11-20T15:00:00Z: a fixed "now" for every test. */
export const NOW = Date.parse('2026-11-20T15:00:00Z');

export interface TestApp {
  app: App;
  database: TestDatabase;
  clock: { now: number };
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  request(path: string, init?: RequestInit): Promise<Response>;
  article(overrides?: Partial<ArticleInput> & { body?: string }): Promise<{ id: number; urlPath: string | null }>;
  close(): Promise<void>;
}

export interface StartOptions {
  publication?: Partial<Publication>;
  env?: Record<string, string>;
  /** Replaces the payment provider (e.g. StripeProvider against FakeStripe); the demo provider by default. */
  provider?: BuildOptions['provider'];
  /** Replaces DNS for crawler verification. */
  crawlerResolver?: BuildOptions['crawlerResolver'];
  /** A logger to read (the default writes nothing). */
  logger?: BuildOptions['logger'];
}

export async function startTestApp(dialect: Dialect, opts: StartOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const clock = { now: NOW };
  const config = loadConfig({
    MASTHEAD_DATA: database.dataDir,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    PUBLIC_URL,
    MASTHEAD_DEMO: '0',
    MASTHEAD_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const app = await buildApp({ config, now: () => clock.now, logger: opts.logger ?? createLogger('silent'), provider: opts.provider, crawlerResolver: opts.crawlerResolver });
  await savePublication(app.database.db, { name: 'The Test Courier', tagline: 'All the news that fits', timeZone: 'America/New_York', ...opts.publication });
  let counter = 0;
  const request = (p: string, init?: RequestInit) => Promise.resolve(app.fetch(new Request(new URL(p, 'http://127.0.0.1:3000'), init)));
  return {
    app,
    database,
    clock,
    request,
    get: (p, headers) => request(p, { headers }),
    async article(overrides = {}) {
      counter += 1;
      const body = overrides.body ?? overrides.bodyMarkdown ?? `First paragraph of story ${counter}.\n\nSecond paragraph with more words.`;
      const input: ArticleInput = {
        headline: `Story number ${counter} about the harbor`,
        dek: `The dek of story ${counter}.`,
        sectionPath: 'World/Europe',
        authors: ['Test Writer'],
        dateline: 'BERGEN, Norway',
        publishedAt: NOW - counter * 3600_000,
        access: 'metered',
        tags: ['Harbors'],
        bodyMarkdown: body,
        blocks: parseMarkdown(body),
        leadImage: null,
        ...overrides,
      };
      const res = await saveArticle(app.database, input, { source: 'test', now: clock.now, timeZone: 'America/New_York' });
      await app.site.refresh();
      return { id: res.id, urlPath: res.urlPath };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export { path };
