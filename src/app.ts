// The composition root: builds every service once and returns the app, without listening.
// Tests build the same app against their own database; main.ts adds the port.
import path from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { resolveSecret } from './config/secret.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { SiteState } from './site/site-state.ts';
import { readerRoutes, errorPage } from './site/reader-routes.tsx';
import { publishDueArticles } from './content/article-store.ts';

export interface App {
  fetch: (request: Request) => Response | Promise<Response>;
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  mediaDir: string;
  secret: string;
  site: SiteState;
  now: () => number;
  /** Starts timers: scheduled publishing. */
  startBackground(): void;
  close(): Promise<void>;
}

export interface BuildOptions {
  config: Config;
  now?: () => number;
  logger?: Logger;
  /** Apply migrations (default true). */
  migrate?: boolean;
}

const SCHEDULE_INTERVAL_MS = 15_000;

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (opts.migrate !== false) await migrate(database);
  const secret = resolveSecret(config.dataDir, config.secret);
  const mediaDir = path.join(config.dataDir, 'media');
  const site = new SiteState({
    db: database.db,
    publicUrlOverride: config.publicUrlFromEnv ? config.publicUrl : null,
    defaultPublicUrl: config.publicUrl,
    now,
  });

  const hono = new Hono();
  hono.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );
  hono.route('/', readerRoutes({ db: database.db, dialect: database.dialect, mediaDir, state: site, logger, now }));
  hono.onError(async (err, c) => {
    const requestId = Math.random().toString(36).slice(2, 10);
    logger.error({ err, requestId, path: new URL(c.req.url).pathname }, 'request failed');
    try {
      const { site: ctx } = await site.current();
      return errorPage(c, ctx, 500);
    } catch {
      return c.text('Internal error', 500);
    }
  });

  let timer: NodeJS.Timeout | null = null;
  const runSchedule = async () => {
    try {
      const published = await publishDueArticles(database.db, now());
      if (published > 0) {
        logger.info({ published }, 'scheduled articles published');
        await site.refresh();
      }
    } catch (err) {
      logger.error({ err }, 'scheduled publishing failed');
    }
  };

  return {
    fetch: hono.fetch,
    config,
    database,
    logger,
    mediaDir,
    secret,
    site,
    now,
    startBackground() {
      if (timer) return;
      void runSchedule();
      timer = setInterval(runSchedule, SCHEDULE_INTERVAL_MS);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await database.close();
    },
  };
}
