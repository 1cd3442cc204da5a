// The composition root: builds every service once and returns the app, without listening.
// Tests build the same app against their own database; main.ts adds the port.
import path from 'node:path';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { resolveSecret } from './config/secret.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { SiteState } from './site/site-state.ts';
import { securityHeaders } from './site/security-headers.ts';
import { createFastPath } from './site/fast-path.ts';
import { readerRoutes, errorPage } from './site/reader-routes.tsx';
import { publishDueArticles } from './content/article-store.ts';

export interface App {
  fetch: (request: Request) => Response | Promise<Response>;
  /** The node:http listener: the cached-page fast path, then the route table. */
  nodeListener: (req: IncomingMessage, res: ServerResponse) => void;
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
  const headers = securityHeaders({ isHttps: config.publicUrl.startsWith('https:') });
  hono.use(async (c, next) => {
    await next();
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
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

  const fastPath = createFastPath({ state: site, headers });
  const honoListener = getRequestListener(hono.fetch);
  const nodeListener = (req: IncomingMessage, res: ServerResponse) => {
    if (!fastPath(req, res)) void honoListener(req, res);
  };

  let timer: NodeJS.Timeout | null = null;
  const runSchedule = async () => {
    try {
      const published = await publishDueArticles(database, now());
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
    nodeListener,
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
