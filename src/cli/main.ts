// `masthead <command>`: the operator's CLI. Errors are one clear line and a non-zero exit.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../config/config.ts';
import { buildApp, type App } from '../app.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { importArticleFiles } from '../content/article-import.ts';
import { getPublication } from '../content/publication.ts';
import { getPolicy } from '../paywall/policy-store.ts';
import { defaultAccessFor } from '../paywall/meter-policy.ts';
import { createStaffUser, generatePassword, StaffExistsError } from '../accounts/staff.ts';
import { seedDemo, isDatabaseEmpty } from '../demo/seed.ts';
import { backupSqlite } from '../db/backup.ts';
import { progressBar, type Progress } from './progress.ts';
import { startServer } from '../main.ts';
import { getList } from '../newsletters/lists.ts';
import { isIssueDate, localDateOf, sendTimeFor } from '../newsletters/schedule.ts';
import { ensureDailyIssue, frozenContent, getIssue, queueIssue, resumeQueueing, type IssueRow } from '../newsletters/issue-store.ts';
import { composeIssueContent } from '../newsletters/issue-content.ts';
import { prepareIssueEmail } from '../newsletters/digest-email.ts';
import { recipientBatches } from '../newsletters/recipients.ts';
import { suppressedAmong } from '../newsletters/suppression.ts';
import { inFlightResends, nextDueAt } from '../newsletters/send-queue.ts';
import { weeklyCommand, WeeklyUsageError, WEEKLY_HELP } from './weekly-command.ts';

const HELP = `masthead — run and operate a Masthead publication

Usage: masthead <command> [options]

Commands:
  serve                      serve the site (seeds the demo into an empty database unless MASTHEAD_DEMO=0)
  migrate                    apply database migrations
  demo                       seed the demo publication into an empty database
  user add --email E --role admin|editor|writer [--name N] [--password P]
                             create a staff user (a password is generated and printed when omitted)
  articles import PATH…      import Markdown articles with front matter (files or folders)
  backup FILE                online copy of the SQLite database (safe while the site runs)
  daily preview [--date D] [--html FILE]
                             show what the Daily of date D (default today) would hold
  daily send [--date D]      queue the Daily of date D if still a draft, send it, print the report
  weekly build [--week W]    prepare the Weekly of ISO week W (default: last week) and build its PDF and EPUB
  weekly publish [--week W]  publish the Weekly of week W and queue its announcement

Run "masthead <command> --help" for a command's options. Configuration comes from the
environment: PORT, HOST, PUBLIC_URL, MASTHEAD_DATA, DATABASE_URL, MASTHEAD_SECRET,
SMTP_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, TRUST_PROXY, MASTHEAD_DEMO, LOG_LEVEL.
`;

const COMMAND_HELP: Record<string, string> = {
  serve: 'masthead serve\n\nServes the site at http://HOST:PORT (default 127.0.0.1:3000). On an empty database it seeds the demo publication and prints the staff credentials, unless MASTHEAD_DEMO=0.\n',
  migrate: 'masthead migrate\n\nApplies every pending database migration (they also run at start-up).\n',
  demo: 'masthead demo\n\nSeeds the demo publication (articles, sections, authors, pictures, staff) into an empty database and prints the staff credentials.\n',
  user: 'masthead user add --email E --role admin|editor|writer [--name N] [--password P]\n\nCreates a staff user. Without --password a strong one is generated and printed once.\n',
  articles: 'masthead articles import PATH…\n\nImports Markdown files with YAML front matter (see the README). Folders are searched for *.md files. Re-importing a file updates its article (matched by section and slug) and adds a revision. Each bad file is reported with its reason; nothing of it is written.\n',
  daily: 'masthead daily preview [--date YYYY-MM-DD] [--html FILE]\nmasthead daily send [--date YYYY-MM-DD]\n\npreview prints the subject, the stories in order with their access class and the number of recipients of that date\'s Daily (default: today in the publication\'s time zone); --html writes one free copy\'s HTML to FILE. Nothing is changed.\n\nsend creates that date\'s issue if needed, queues it if it is still a draft (content frozen, one row per recipient), sends every copy with a progress bar and prints the report: queued, sent, failed, suppressed. Run again after an interruption: it carries on where the last run stopped. Copies refused for now are retried later by the site (masthead serve).\n',
  weekly: WEEKLY_HELP,
  backup: 'masthead backup FILE\n\nWrites a consistent copy of the SQLite database to FILE using SQLite\'s online backup API; the site may keep running. Refuses to overwrite an existing FILE. On PostgreSQL use pg_dump (see the README).\n',
};

class UsageError extends Error {}

export async function main(argv: string[], io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) }): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command ? 0 : 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const help = COMMAND_HELP[command];
    if (!help) return fail(io, `unknown command "${command}" (see masthead --help)`);
    io.out(help);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.problems.map((p) => `masthead: ${p}`).join('\n') + '\n');
      return 2;
    }
    throw err;
  }
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(config, io);
      case 'migrate':
        return await migrateCommand(config, io);
      case 'demo':
        return await withApp(config, async (app) => {
          if (!(await isDatabaseEmpty(app))) return fail(io, 'the database already holds articles; the demo seeds only an empty publication');
          await seedDemo(app, { print: (l) => io.out(l + '\n') });
          return 0;
        });
      case 'user':
        return await userCommand(config, rest, io);
      case 'articles':
        return await articlesCommand(config, rest, io);
      case 'daily':
        return await dailyCommand(config, rest, io);
      case 'weekly':
        return await withApp(config, (app) => weeklyCommand(app, rest, io));
      case 'backup':
        return await backupCommand(config, rest, io);
      default:
        return fail(io, `unknown command "${command}" (see masthead --help)`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof WeeklyUsageError) return fail(io, err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ECONNREFUSED') return fail(io, 'cannot reach the database at DATABASE_URL (connection refused)');
    if (e.code === 'EADDRINUSE') return fail(io, `port ${config.port} is already in use (set PORT to another)`);
    if (e.code === 'EACCES') return fail(io, `permission denied: ${e.message}`);
    return fail(io, e.message || String(err));
  }
}

function fail(io: { err: (s: string) => void }, message: string): number {
  io.err(`masthead: ${message}\n`);
  return 1;
}

function parse<T extends ParseArgsConfig['options']>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

async function withApp<T>(config: Config, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await buildApp({ config, logger: createLogger('warn') });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

async function serveCommand(config: Config, io: { out: (s: string) => void }): Promise<number> {
  const server = await startServer(config, { print: (l) => io.out(l + '\n') });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopping…\n');
  await server.close();
  return 0;
}

async function migrateCommand(config: Config, io: { out: (s: string) => void }): Promise<number> {
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(handle);
    io.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date.\n');
    return 0;
  } finally {
    await handle.close();
  }
}

async function userCommand(config: Config, args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') throw new UsageError('usage: masthead user add --email E --role admin|editor|writer [--name N] [--password P]');
  const { values } = parse(rest, { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } });
  if (!values.email) throw new UsageError('--email is required');
  if (!values.role) throw new UsageError('--role is required (admin, editor or writer)');
  const password = values.password ?? generatePassword();
  return withApp(config, async (app) => {
    try {
      const user = await createStaffUser(app.database.db, { email: values.email!, role: values.role as 'admin', name: values.name ?? '', password }, Date.now());
      io.out(`Created ${user.role} ${user.email}${values.password ? '' : `\nPassword: ${password}  (shown once; keep it safe)`}\n`);
      return 0;
    } catch (err) {
      if (err instanceof StaffExistsError) throw new UsageError(err.message);
      if (err && typeof err === 'object' && 'issues' in err) {
        const issue = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues[0];
        throw new UsageError(`--${String(issue.path[0])} ${issue.message}`);
      }
      throw err;
    }
  });
}

async function articlesCommand(config: Config, args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new UsageError('usage: masthead articles import PATH…');
  const { positionals } = parse(rest, {}, true);
  if (positionals.length === 0) throw new UsageError('give at least one Markdown file or folder to import');
  const files: string[] = [];
  for (const p of positionals) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p, { recursive: true })) if (String(entry).endsWith('.md')) files.push(path.join(p, String(entry)));
    } else files.push(p);
  }
  if (files.length === 0) throw new UsageError('no .md files found');
  files.sort();
  return withApp(config, async (app) => {
    const publication = await getPublication(app.database.db);
    const policy = await getPolicy(app.database.db);
    const bar = progressBar({ total: files.length, title: 'Importing' });
    const outcomes = await importArticleFiles(app.database, files, {
      mediaDir: app.mediaDir,
      timeZone: publication.timeZone,
      now: Date.now,
      source: 'import',
      defaultAccess: (section) => defaultAccessFor(policy, section),
      onFile: (o) => bar.tick(path.basename(o.file)),
    });
    const failed = outcomes.filter((o) => !o.ok);
    const ok = outcomes.length - failed.length;
    bar.done(`Imported ${ok} of ${outcomes.length} file(s)`);
    for (const o of outcomes) {
      if (o.ok) io.out(`${o.isNew ? 'added  ' : 'updated'} ${o.status.padEnd(9)} ${o.urlPath ?? '(draft)'}  ← ${o.file}\n`);
    }
    for (const o of failed) if (!o.ok) io.err(`masthead: ${o.file}: ${o.problems.join('; ')}\n`);
    return failed.length ? 1 : 0;
  });
}

async function backupCommand(config: Config, args: string[], io: { out: (s: string) => void }): Promise<number> {
  const { positionals } = parse(args, {}, true);
  if (positionals.length !== 1) throw new UsageError('usage: masthead backup FILE');
  if (config.databaseUrl) throw new UsageError('backup copies the SQLite database; on PostgreSQL use pg_dump (see the README)');
  const target = path.resolve(positionals[0]);
  const result = await backupSqlite({ dataDir: config.dataDir, target, onProgress: undefined });
  io.out(`Backed up ${result.pages} pages (${(result.bytes / 1024 / 1024).toFixed(1)} MB) to ${target}\n`);
  return 0;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

/** The send's progress bar, drawn once the first report comes in (in percent of the copies). */
function sendingBar(): { onProgress: (p: { report: { total: number; sent: number; failed: number; suppressed: number } }) => void; done: (summary: string) => void } {
  let bar: Progress | null = null;
  let ticks = 0;
  return {
    onProgress({ report }) {
      const total = report.total - report.suppressed;
      bar ??= progressBar({ total: 100, title: 'Sending' });
      const percent = total === 0 ? 100 : Math.floor(((report.sent + report.failed) / total) * 100);
      for (; ticks < percent; ticks++) bar.tick(`${report.sent} of ${total} sent`);
    },
    done(summary) {
      bar?.done(summary);
    },
  };
}

async function dailyCommand(config: Config, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'preview' && sub !== 'send') throw new UsageError('usage: masthead daily preview|send [--date YYYY-MM-DD]');
  const { values } = parse(rest, { date: { type: 'string' }, html: { type: 'string' } });
  if (values.date !== undefined && !isIssueDate(values.date)) throw new UsageError(`--date must be a real date as YYYY-MM-DD, not "${values.date}"`);
  if (sub === 'send' && values.html !== undefined) throw new UsageError('--html is an option of daily preview');
  return withApp(config, async (app) => {
    const db = app.database.db;
    const list = await getList(db, { slug: 'daily' });
    if (!list) throw new UsageError('this publication has no Daily list');
    const { timeZone } = await getPublication(db);
    const now = Date.now();
    const date = values.date ?? localDateOf(now, timeZone);
    const publicUrl = app.site.publicUrl();
    const existing = await db.selectFrom('newsletter_issues').selectAll().where('list_id', '=', list.id).where('slug', '=', date).executeTakeFirst();

    if (sub === 'preview') {
      // Nothing is written: an issue not yet created is composed as it would be.
      const issue: IssueRow = existing ?? {
        id: 0, list_id: list.id, slug: date, issue_date: date, status: 'draft', subject: '', intro: '', story_ids: null, content: null,
        send_at: null, queued_at: null, finished_at: null, created_at: now, updated_at: now, updated_by: null,
      };
      const content = frozenContent(issue) ?? (await composeIssueContent(db, { issue, list, now, publicUrl }));
      const free = prepareIssueEmail(content).personalise({ isEntitled: false, storyUrl: (s) => s.url, unsubscribeUrl: `${publicUrl}/newsletters` });
      let recipients = 0;
      let suppressed = 0;
      for await (const batch of recipientBatches(db, list, { now })) {
        recipients += batch.length;
        suppressed += (await suppressedAmong(db, batch.map((r) => r.email))).size;
      }
      io.out(`${list.name} of ${date} (${existing ? existing.status : 'not created yet'})\nSubject: ${free.subject}\n`);
      if (content.stories.length === 0) io.out('No stories: nothing would be sent.\n');
      content.stories.forEach((s, i) => io.out(`${String(i + 1).padStart(2)}. [${s.access}] ${s.headline}\n    ${s.url}\n`));
      io.out(`Recipients: ${recipients}${suppressed ? ` (${suppressed} suppressed, not sent)` : ''}\n`);
      if (values.html) {
        fs.writeFileSync(values.html, free.html);
        io.out(`Wrote a free copy's HTML to ${values.html}\n`);
      }
      return 0;
    }

    const issue = existing ?? (await ensureDailyIssue(db, { list, issueDate: date, sendAt: list.schedule ? sendTimeFor(date, list.schedule, timeZone) : now, now }));
    if (issue.status === 'cancelled') throw new UsageError(`the Daily of ${date} was cancelled in the newsroom`);
    if (issue.status === 'sent') io.out(`The Daily of ${date} was already sent; nothing more to send.\n`);
    if (issue.status === 'draft') {
      const queued = await queueIssue({ db, publicUrl }, issue.id, { now });
      if (!queued.ok && queued.reason === 'no-stories') throw new UsageError(`the Daily of ${date} has no stories to send`);
      if (!queued.ok && queued.reason === 'not-found') throw new UsageError(`the Daily of ${date} was deleted`);
    }
    // Finishes queueing that a stopped run left half done (safe beside another process doing it).
    await resumeQueueing(db, { now: Date.now(), staleMs: 0, issueId: issue.id });

    const sender = app.newsletters.sender;
    const bar = sendingBar();
    let report = await sender.sendDue({ issueId: issue.id, onProgress: bar.onProgress });
    for (;;) {
      const current = await getIssue(db, issue.id);
      if (!current || current.status !== 'sending' || !report || report.sending === 0) break;
      // Copies claimed by a run that stopped, or by another instance still at work: their
      // claims run out (or are marked) within seconds. Retries hours away are left to the site.
      const next = (await nextDueAt(db, issue.id)) ?? Date.now();
      await new Promise((r) => setTimeout(r, Math.min(5_000, Math.max(200, next - Date.now() + 50))));
      report = await sender.sendDue({ issueId: issue.id, onProgress: bar.onProgress });
    }
    const final = report!;
    const resent = await inFlightResends(db, issue.id);
    bar.done(`${list.name} of ${date}: sent ${final.sent} of ${final.total - final.suppressed}`);
    io.out(`Queued ${final.total - final.suppressed}, sent ${final.sent}, failed ${final.failed}, suppressed ${final.suppressed}\n`);
    if (resent > 0) io.out(`${resent} were in flight when an earlier run stopped and were sent again (some may have arrived twice)\n`);
    const trouble = sender.serverTrouble;
    if (trouble && final.queued > 0) {
      io.err(`masthead: the mail server could not be reached (${trouble.error}); ${final.queued} copies wait: run masthead daily send again, or let the site send them (masthead serve)\n`);
      return 1;
    }
    if (final.queued > 0) io.out(`${final.queued} refused for now: the site retries them later (masthead serve)\n`);
    return 0;
  });
}
