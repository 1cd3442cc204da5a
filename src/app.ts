// The composition root: builds every service once and returns the app, without listening.
// Tests build the same app against their own database; main.ts adds the port.
import crypto from 'node:crypto';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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
import { createFastPath, createMeteredFastPath } from './site/fast-path.ts';
import { readerRoutes, errorPage } from './site/reader-routes.tsx';
import { accountRoutes, mailContext } from './site/account-routes.tsx';
import { billingRoutes } from './site/billing-routes.tsx';
import { newsletterSiteRoutes, ONE_CLICK_UNSUBSCRIBE_PATH } from './site/newsletter-routes.tsx';
import { newsletterArchiveRoutes } from './site/newsletter-archive-routes.tsx';
import { editionRoutes } from './site/edition-routes.tsx';
import { newsroomEditionRoutes } from './admin/routes/editions.tsx';
import { EditionFiles } from './editions/edition-files.ts';
import { EditionJobs } from './editions/edition-jobs.ts';
import { mailWebhookSecret } from './newsletters/feedback-webhook.ts';
import { adminRoutes } from './admin/admin-routes.tsx';
import type { NewsroomDeps } from './admin/deps.ts';
import { storiesRoutes } from './admin/routes/stories.tsx';
import { storyToolsRoutes } from './admin/routes/story-tools.tsx';
import { revisionsRoutes } from './admin/routes/revisions.tsx';
import { curationRoutes } from './admin/routes/curation.tsx';
import { readersRoutes } from './admin/routes/readers.tsx';
import { settingsRoutes } from './admin/routes/settings.tsx';
import { newsroomNewsletterRoutes } from './admin/routes/newsletters.tsx';
import { isValidCsrf, resolveViewer } from './site/viewer.ts';
import { publishDueArticles } from './content/article-store.ts';
import { createMailTransport, type MailTransport } from './mail/transport.ts';
import { flushOutbox } from './mail/outbox.ts';
import { BillingService } from './billing/billing-service.ts';
import { endDueComplimentary } from './billing/complimentary-store.ts';
import { createBillingMail } from './billing/billing-mail.ts';
import { DemoProvider } from './billing/providers/demo.ts';
import { StripeProvider } from './billing/providers/stripe.ts';
import type { PaymentProvider } from './billing/types.ts';
import { pruneRateLimits } from './accounts/rate-limit.ts';
import { createMeterStore, type MeterStore } from './paywall/meter-store.ts';
import { ReaderFactsResolver } from './site/reader-facts.ts';
import { EventLog, createEventSink } from './analytics/events.ts';
import { createLetterViews } from './letters/letter-views.ts';
import { ArticleViews } from './site/article-views.ts';
import { CrawlerVerifier, systemResolver, type Resolver } from './paywall/crawler.ts';
import { NewsletterSender } from './newsletters/sender.ts';
import { runNewsletterJobs } from './newsletters/newsletter-jobs.ts';
import { anonymiseFinishedSends } from './newsletters/retention.ts';
import { resumeQueueing } from './newsletters/issue-store.ts';

export interface App {
  fetch: (request: Request) => Response | Promise<Response>;
  /** The node:http listener: the cached-page fast path, then the route table. */
  nodeListener: (req: IncomingMessage, res: ServerResponse) => void;
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  mediaDir: string;
  outboxDir: string;
  secret: string;
  site: SiteState;
  provider: PaymentProvider;
  billing: BillingService;
  mail: MailTransport;
  meter: MeterStore;
  events: EventLog;
  /** The newsletter sender, and a nudge for the background loop after an issue is queued. */
  newsletters: { sender: NewsletterSender; kick(): void };
  /** The Weekly's build cache (one per app: concurrent requests share a build). */
  editions: { files: EditionFiles };
  now: () => number;
  /** One pass of the periodic work: scheduled publishing, provider events, renewals, mail. */
  runJobs(opts?: { includeSlow?: boolean }): Promise<void>;
  /** Starts the timers that run the jobs. */
  startBackground(): void;
  close(): Promise<void>;
}

export interface BuildOptions {
  config: Config;
  now?: () => number;
  logger?: Logger;
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Replace the payment provider (tests of Stripe against a local API). */
  provider?: (deps: { db: DatabaseHandle['db']; publicUrl: () => string; now: () => number; secret: string }) => PaymentProvider;
  /** Replace DNS for crawler verification (tests). */
  crawlerResolver?: Resolver;
}

const JOB_INTERVAL_MS = 2_000;
const SLOW_JOB_INTERVAL_MS = 60 * 60_000;
/** Who was sent an issue is kept this long after it went out, then only counted. */
const SEND_RETENTION_MS = 90 * 86_400_000;

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (opts.migrate !== false) await migrate(database);
  const { db } = database;
  const secret = resolveSecret(config.dataDir, config.secret);
  const mediaDir = path.join(config.dataDir, 'media');
  const outboxDir = path.join(config.dataDir, 'outbox');
  const isHttps = config.publicUrl.startsWith('https:');
  const site = new SiteState({ db, publicUrlOverride: config.publicUrlFromEnv ? config.publicUrl : null, defaultPublicUrl: config.publicUrl, now });
  const publicUrl = () => site.publicUrl();

  const provider: PaymentProvider = opts.provider
    ? opts.provider({ db, publicUrl, now, secret })
    : config.stripeSecretKey
      ? new StripeProvider({ secretKey: config.stripeSecretKey, webhookSecret: config.stripeWebhookSecret! })
      : new DemoProvider({ db, publicUrl, now, webhookSecret: crypto.createHmac('sha256', secret).update('demo-provider-webhooks').digest('hex') });
  const billing = new BillingService({ db, provider, now });
  const meter = createMeterStore(database);
  const readers = new ReaderFactsResolver({ db, secret, now });
  const crawlers = new CrawlerVerifier({ resolver: opts.crawlerResolver ?? systemResolver(), now: Date.now });
  const events = new EventLog({ sink: createEventSink(database), onError: (err) => logger.error({ err }, 'writing events failed') });
  const views = new ArticleViews({ db, secret, now, meter, readers, crawlers, events, letterViews: createLetterViews(database) });
  const mail = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir, from: config.mailFrom, dkim: config.dkim, rawConnections: config.mailConcurrency });
  const sender = new NewsletterSender({ db, dialect: database.dialect, transport: mail, from: config.mailFrom, secret, now, concurrency: config.mailConcurrency, ratePerSecond: config.mailRatePerSecond, logger });
  // While the background runs, the sender works in its own loop (an issue of 100,000 copies
  // takes a minute; the 2-second job tick must not wait for it): it finishes the queueing of
  // issues the newsroom or the tick queued (writing their rows), then sends. Without it
  // (tests, the CLI) runJobs does both before returning.
  let isClosing = false;
  let isSenderLooping = false;
  let senderLoop: Promise<void> | null = null;
  let wakeSender: (() => void) | null = null;
  const kickSender = () => wakeSender?.();
  const queueAndSend = async () => {
    await resumeQueueing(db, { now: now(), isStopped: () => isClosing });
    if (!isClosing) await sender.sendDue();
  };
  const runSenderLoop = async () => {
    while (isSenderLooping) {
      try {
        await queueAndSend();
      } catch (err) {
        logger.error({ err }, 'newsletter sending failed');
      }
      if (!isSenderLooping) break;
      // Until an issue is queued here, or a retry or another instance's work may be due.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        timer.unref();
        wakeSender = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeSender = null;
    }
  };

  const hono = new Hono();
  const headers = securityHeaders({ isHttps });
  hono.use(async (c, next) => {
    await next();
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });

  // The form-token check below reads whole bodies: oversized ones are refused before it, with
  // room for pictures only where the newsroom uploads them, and 1 MB for everything else.
  const tooLarge = (c: Context) => c.text('That request is too large.', 413);
  const pictureLimit = bodyLimit({ maxSize: 25 * 1024 * 1024, onError: tooLarge });
  const formLimit = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge });
  const takesPictures = /^\/admin\/(images|stories|authors)(\/|$)/;
  hono.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : takesPictures.test(c.req.path) ? pictureLimit(c, next) : formLimit(c, next)));

  const viewerDeps = { db, secret, now, isHttps };
  // Every state-changing request but provider webhooks: same-site origin and a form token.
  hono.use(async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || c.req.path.startsWith('/webhooks/')) return next();
    // RFC 8058 one-click unsubscribe: a mail client posts with no cookies and no form token;
    // the signed token in the address is the authority, and unsubscribing twice is harmless.
    if (method === 'POST' && c.req.path === ONE_CLICK_UNSUBSCRIBE_PATH) return next();
    const origin = c.req.header('origin');
    const isCrossSite = c.req.header('sec-fetch-site') === 'cross-site' || (origin !== undefined && origin !== 'null' && origin !== new URL(publicUrl()).origin && origin !== new URL(c.req.url).origin);
    const viewer = await resolveViewer(c, viewerDeps);
    const type = c.req.header('content-type') ?? '';
    const form = type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data') ? await c.req.parseBody() : {};
    if (isCrossSite || !isValidCsrf(viewer, form._csrf)) {
      const { site: ctx } = await site.current();
      return errorPage(c, ctx, 403);
    }
    return next();
  });

  let mailTimer: NodeJS.Timeout | null = null;
  const kickMail = () => {
    // Soon, not inline: the reader's page must not wait for an SMTP server.
    mailTimer ??= setTimeout(() => {
      mailTimer = null;
      void runMail();
    }, 10);
  };
  const runMail = async () => {
    try {
      await flushOutbox(db, mail, now());
    } catch (err) {
      logger.error({ err }, 'mail flush failed');
    }
  };
  const runBillingJobs = async () => {
    if (provider instanceof DemoProvider) {
      await provider.deliver(async (body, signature) => {
        const res = await hono.fetch(new Request(`${publicUrl()}/webhooks/demo`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'demo-signature': signature } }));
        return res.status;
      });
    }
    await runMail();
  };

  const deps = { ...viewerDeps, state: site, logger, trustProxy: config.trustProxy };
  hono.route('/', accountRoutes({ ...deps, billing, kickMail, meter }));
  hono.route('/', billingRoutes({ ...deps, billing, runBillingJobs }));
  const webhookSecret = mailWebhookSecret(config.mailWebhookSecret, secret);
  hono.route('/', newsletterSiteRoutes({ ...deps, events, kickMail, mailWebhookSecret: webhookSecret }));
  const newsroom: NewsroomDeps = { ...deps, database, db, dialect: database.dialect, mediaDir, billing, views };
  // The Weekly's build cache: one per app, so concurrent requests for one build share it.
  const editionFiles = new EditionFiles({ dir: path.join(config.dataDir, 'editions'), logger });
  const areas = [storiesRoutes, storyToolsRoutes, revisionsRoutes, curationRoutes, readersRoutes, settingsRoutes, (d: NewsroomDeps) => newsroomNewsletterRoutes({ ...d, kickSender, mailWebhookSecret: webhookSecret }), (d: NewsroomDeps) => newsroomEditionRoutes({ ...d, editionFiles, kickSender })].map((area) => area(newsroom));
  hono.route('/', adminRoutes({ ...deps, areas }));
  // The archive's /newsletters/:list paths after the fixed /newsletters/… ones, before the catch-all article paths.
  hono.route('/', newsletterArchiveRoutes({ db, state: site, secret, now, isHttps }));
  hono.route('/', editionRoutes({ db, state: site, secret, now, isHttps, mediaDir, files: editionFiles, logger }));
  hono.route('/', readerRoutes({ db, dialect: database.dialect, mediaDir, state: site, logger, now, secret, isHttps, meter, readers, events, views, trustProxy: config.trustProxy }));
  hono.onError(async (err, c) => {
    const requestId = crypto.randomBytes(4).toString('hex');
    logger.error({ err, requestId, path: new URL(c.req.url).pathname }, 'request failed');
    try {
      const { site: ctx } = await site.current();
      return errorPage(c, ctx, 500);
    } catch {
      return c.text('Internal error', 500);
    }
  });

  const fastPath = createFastPath({ state: site, headers, views, isHttps, onArticleView: (articleId) => events.record({ kind: 'free', articleId, at: now() }) });
  const honoListener = getRequestListener(hono.fetch);
  const fastMeteredPath = createMeteredFastPath({ state: site, headers, views, isHttps, trustProxy: config.trustProxy });
  const nodeListener = (req: IncomingMessage, res: ServerResponse) => {
    if (fastPath(req, res)) return;
    void fastMeteredPath(req, res).then((handled) => {
      if (!handled) void honoListener(req, res);
    }).catch((err) => {
      logger.error({ err }, 'metered fast path failed');
      if (!res.headersSent) void honoListener(req, res);
    });
  };

  const editionJobs = new EditionJobs({ db, files: editionFiles, mediaDir, logger });
  let lastSlow = 0;
  /** Passes of runJobs under way: close() waits for them. */
  const jobsRunning = new Set<Promise<void>>();
  const runJobsOnce = async (jobOpts: { includeSlow?: boolean }) => {
    const published = await publishDueArticles(database, now());
    if (published > 0) {
      logger.info({ published }, 'scheduled articles published');
      await site.refresh();
    }
    if (isClosing) return;
    if (provider instanceof DemoProvider) await provider.advance();
    await endDueComplimentary(db, now());
    await runBillingJobs();
    await events.flush();
    if (isClosing) return;
    // The saved address, not the default one a process that has served no page yet would give.
    const jobsPublicUrl = await site.loadedPublicUrl();
    // A failure here must not hold up the jobs after it (mail retries, pruning).
    try {
      const newsletterJobs = await runNewsletterJobs({ db, publicUrl: jobsPublicUrl, now: now(), logger });
      if (isSenderLooping) {
        if (newsletterJobs.queued.length) kickSender();
      } else if (!isClosing) await queueAndSend();
    } catch (err) {
      logger.error({ err }, 'newsletter jobs failed');
    }
    if (isClosing) return;
    try {
      const weekly = await editionJobs.run({ now: now(), publicUrl: jobsPublicUrl });
      if (weekly.announcedIssueId !== null) {
        if (isSenderLooping) kickSender();
        else if (!isClosing) await queueAndSend();
      }
    } catch (err) {
      logger.error({ err }, 'weekly edition jobs failed');
    }
    if (isClosing) return;
    if (jobOpts.includeSlow || now() - lastSlow >= SLOW_JOB_INTERVAL_MS) {
      lastSlow = now();
      const { site: ctx } = await site.current();
      await billing.sendEndingSoonNotices(createBillingMail(mailContext(ctx)));
      await pruneRateLimits(db, now());
      await anonymiseFinishedSends(db, { olderThanMs: SEND_RETENTION_MS, now: now() });
      await runMail();
    }
  };
  const runJobs = async (jobOpts: { includeSlow?: boolean } = {}) => {
    if (isClosing) return;
    const pass = runJobsOnce(jobOpts);
    jobsRunning.add(pass);
    try {
      await pass;
    } finally {
      jobsRunning.delete(pass);
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runJobs();
    } catch (err) {
      logger.error({ err }, 'periodic jobs failed');
    } finally {
      running = false;
    }
  };

  return {
    fetch: hono.fetch,
    nodeListener,
    config,
    database,
    logger,
    mediaDir,
    outboxDir,
    secret,
    site,
    provider,
    billing,
    mail,
    meter,
    events,
    newsletters: { sender, kick: kickSender },
    editions: { files: editionFiles },
    now,
    runJobs,
    startBackground() {
      if (timer) return;
      void tick();
      timer = setInterval(tick, JOB_INTERVAL_MS);
      timer.unref();
      isSenderLooping = true;
      senderLoop = runSenderLoop();
    },
    async close() {
      if (timer) clearInterval(timer);
      if (mailTimer) clearTimeout(mailTimer);
      // No new work from here on (a job pass under way sends nothing more: the sender's stop
      // sticks); the sender finishes the copies at the server and marks them, and the passes
      // under way end, before the connections close.
      isClosing = true;
      isSenderLooping = false;
      sender.stop();
      kickSender();
      await senderLoop;
      await Promise.allSettled([...jobsRunning]);
      await events.flush();
      await mail.close();
      await database.close();
    },
  };
}
