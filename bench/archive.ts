// (b) Search p50/p95 and (c) time to the first served page, over a generated publication of
// 100,000 articles, against the real server. Baselines from the same run: the same server's
// cached article page for (b), an empty publication's start for (c).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SERVER_CORE, barChart, percentile, startPinned, stop } from './lib.ts';
import { demoSentences, generatePublication } from './generate.ts';

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
  return performance.now() - started;
}

async function firstPage(dataDir: string, port: number): Promise<{ ms: number; server: ReturnType<typeof startPinned> }> {
  const started = performance.now();
  const server = startPinned(SERVER_CORE, process.execPath, [path.join(ROOT, 'bin/masthead.js'), 'serve'], { MASTHEAD_DATA: dataDir, PORT: String(port), MASTHEAD_DEMO: '0', LOG_LEVEL: 'warn' });
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.arrayBuffer();
      if (res.status === 200) return { ms: performance.now() - started, server };
    } catch {
      /* starting */
    }
    if (server.exitCode !== null) throw new Error('server exited before serving');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchArchive(opts: { count: number; queries: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-archive-'));
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-empty-'));
  try {
    const genStart = performance.now();
    await generatePublication({ dataDir, count: opts.count, now: Date.now() });
    const genSeconds = (performance.now() - genStart) / 1000;
    const dbBytes = fs.statSync(path.join(dataDir, 'masthead.db')).size;

    // (c) First served page: empty publication (baseline), then 100,000 articles. One
    // throwaway start first, so neither pays for compiling the sources into tsx's cache.
    await stop((await firstPage(emptyDir, 3910)).server);
    const empty = await firstPage(emptyDir, 3911);
    await stop(empty.server);
    const big = await firstPage(dataDir, 3912);
    const server = big.server;
    try {
      // (b) Search: one- and two-word queries from the corpus's own words, sequentially.
      const words = [...new Set(demoSentences().join(' ').toLowerCase().match(/[a-z]{4,}/g))];
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      const queries = Array.from({ length: opts.queries }, (_, i) => (i % 3 === 0 ? `${words[Math.floor(next() * words.length)]} ${words[Math.floor(next() * words.length)]}` : words[Math.floor(next() * words.length)]));
      const base = `http://127.0.0.1:3912`;
      for (const q of queries.slice(0, 20)) await timedGet(`${base}/search?q=${encodeURIComponent(q)}`); // warm-up
      const searchMs: number[] = [];
      for (const q of queries) searchMs.push(await timedGet(`${base}/search?q=${encodeURIComponent(q)}`));
      searchMs.sort((a, b) => a - b);
      const sitemap = await (await fetch(`${base}/sitemaps/articles-1.xml`)).text();
      const article = new URL(/<loc>([^<]+\/\d{4}\/\d{4}\/[^<]+)<\/loc>/.exec(sitemap)![1]).pathname;
      await timedGet(base + article);
      const pageMs: number[] = [];
      for (let i = 0; i < opts.queries; i++) pageMs.push(await timedGet(base + article));
      pageMs.sort((a, b) => a - b);

      const s50 = percentile(searchMs, 50), s95 = percentile(searchMs, 95), p50 = percentile(pageMs, 50), p95 = percentile(pageMs, 95);
      console.log(`\n(b) Search over ${opts.count.toLocaleString('en-US')} articles (SQLite FTS5, ${(dbBytes / 1e6).toFixed(0)} MB database, generated in ${genSeconds.toFixed(0)} s), ${opts.queries} queries one at a time over HTTP`);
      console.log(barChart([
        { label: 'cached article page p50', value: p50, unit: 'ms' },
        { label: 'cached article page p95', value: p95, unit: 'ms' },
        { label: 'search p50', value: s50, unit: 'ms' },
        { label: 'search p95', value: s95, unit: 'ms' },
      ]));
      console.log(`ratio search p95 / cached page p95: ${(s95 / p95).toFixed(1)}`);
      console.log(`\n(c) Time to the first served page (process start → 200 on /)`);
      console.log(barChart([
        { label: 'empty publication', value: empty.ms, unit: 'ms' },
        { label: `${opts.count.toLocaleString('en-US')} articles`, value: big.ms, unit: 'ms' },
      ]));
      console.log(`ratio: ${(big.ms / empty.ms).toFixed(2)}`);
      return { searchP50: s50, searchP95: s95, pageP95: p95, firstPageEmpty: empty.ms, firstPageBig: big.ms };
    } finally {
      await stop(server);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(emptyDir, { recursive: true, force: true });
  }
}
