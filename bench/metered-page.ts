// The metered article page (cookie check, counted view, decision, render from cached parts)
// against a bare node:http server answering the same bytes, in the same run, with the same
// load generator: once for first-time readers (no cookie: their view lives in the cookie)
// and once for a returning reader (the database counts). Then the views per second the
// meter store itself sustains.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SERVER_CORE, barChart, runLoad, startPinned, stop, waitForHttp, type LoadResult } from './lib.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createMeterStore } from '../src/paywall/meter-store.ts';

export async function benchMeteredPage(opts: { seconds: number; connections: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-meter-'));
  const port = 3921;
  const server = startPinned(SERVER_CORE, process.execPath, [path.join(ROOT, 'bin/masthead.js'), 'serve'], { MASTHEAD_DATA: dataDir, PORT: String(port), LOG_LEVEL: 'warn', MASTHEAD_DEMO: '1' });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    const base = `http://127.0.0.1:${port}`;
    const sitemap = await (await fetch(`${base}/sitemaps/articles-1.xml`)).text();
    const urls = [...sitemap.matchAll(/<loc>([^<]+\/\d{4}\/\d{4}\/[^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
    let articlePath = '';
    let bytes = Buffer.alloc(0);
    for (const u of urls) {
      const res = await fetch(base + u);
      const html = await res.text();
      if (/data-access="metered"/.test(html)) {
        articlePath = u;
        bytes = Buffer.from(html);
        break;
      }
    }
    if (!articlePath) throw new Error('no metered article in the demo');
    // A returning reader: a cookie the database knows (two views).
    const first = await fetch(base + articlePath);
    const firstCookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    // The second view moves the cookie's first article into the database and renews the cookie.
    const second = await fetch(base + urls.find((u) => u !== articlePath)!, { headers: { cookie: firstCookie } });
    const cookie = second.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || firstCookie;

    const bodyFile = path.join(dataDir, 'page.html');
    fs.writeFileSync(bodyFile, bytes);
    const bareResult = await loadBare(bodyFile, 0, opts);
    // Calibration: the bare server with 10 µs of work added per request.
    const calibrated = await loadBare(bodyFile, 10, opts);
    const url = base + articlePath;
    await runLoad(url, { connections: opts.connections, seconds: 2 });
    const newcomers = await runLoad(url, { connections: opts.connections, seconds: opts.seconds });
    const returning = await runLoad(url, { connections: opts.connections, seconds: opts.seconds, headers: { cookie } });

    console.log(`\n(d) Metered article page ${articlePath} (${bytes.length.toLocaleString('en-US')} bytes), ${opts.connections} connections, ${opts.seconds} s, ${newcomers.tool}`);
    console.log(barChart([
      { label: 'bare node:http', value: bareResult.requestsPerSec, unit: `req/s  p99 ${bareResult.p99Ms.toFixed(2)} ms` },
      { label: 'bare + 10 µs work/request', value: calibrated.requestsPerSec, unit: `req/s  p99 ${calibrated.p99Ms.toFixed(2)} ms` },
      { label: 'metered, first-time readers', value: newcomers.requestsPerSec, unit: `req/s  p99 ${newcomers.p99Ms.toFixed(2)} ms` },
      { label: 'metered, returning reader', value: returning.requestsPerSec, unit: `req/s  p99 ${returning.p99Ms.toFixed(2)} ms` },
    ]));
    console.log(`ratio first-time / bare: ${(newcomers.requestsPerSec / bareResult.requestsPerSec).toFixed(2)}   returning / bare: ${(returning.requestsPerSec / bareResult.requestsPerSec).toFixed(2)}   (bare + 10 µs / bare: ${(calibrated.requestsPerSec / bareResult.requestsPerSec).toFixed(2)})`);
  } finally {
    await stop(server);
  }

  // The meter store alone: distinct counted views per second (SQLite, this process).
  const handle = openDatabase({ databaseUrl: null, dataDir });
  await migrate(handle);
  const meter = createMeterStore(handle);
  const n = 50_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await meter.record({ readerKey: `a:bench${i % 5000}`, windowKey: '2026-11', since: 0, articleId: 1 + Math.floor(i / 5000), now: Date.now() });
  const seconds = (performance.now() - started) / 1000;
  await handle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`\n(e) Meter store: ${n.toLocaleString('en-US')} counted views in ${seconds.toFixed(2)} s = ${Math.round(n / seconds).toLocaleString('en-US')} views/s (SQLite, one connection, one transaction per view)`);
}

/** The bare server on the same bytes, optionally spinning `workMicros` per request. */
async function loadBare(bodyFile: string, workMicros: number, load: { seconds: number; connections: number }): Promise<LoadResult> {
  const barePort = 3922;
  const bare = startPinned(SERVER_CORE, process.execPath, [path.join(ROOT, 'bench/bare-server.js'), bodyFile, String(barePort), String(workMicros)]);
  try {
    await waitForHttp(`http://127.0.0.1:${barePort}/`);
    await runLoad(`http://127.0.0.1:${barePort}/`, { connections: load.connections, seconds: 2 });
    return await runLoad(`http://127.0.0.1:${barePort}/`, { connections: load.connections, seconds: load.seconds });
  } finally {
    await stop(bare);
  }
}
