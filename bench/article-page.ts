// (a) Article page throughput and p99 latency against the real server (a free story of the demo),
// beside a bare node:http server answering the same bytes, in the same run, with the same
// load generator; server and load pinned to different cores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SERVER_CORE, barChart, runLoad, startPinned, stop, waitForHttp, type LoadResult } from './lib.ts';

export async function benchArticlePage(opts: { seconds: number; connections: number }): Promise<{ masthead: LoadResult; bare: LoadResult; ratio: number; bytes: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-page-'));
  const port = 3901;
  const server = startPinned(SERVER_CORE, process.execPath, [path.join(ROOT, 'bin/masthead.js'), 'serve'], {
    MASTHEAD_DATA: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    MASTHEAD_DEMO: '1',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    // The demo's newest metered story.
    const sitemap = await (await fetch(`http://127.0.0.1:${port}/sitemaps/articles-1.xml`)).text();
    const urls = [...sitemap.matchAll(/<loc>([^<]+\/\d{4}\/\d{4}\/[^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
    if (urls.length === 0) throw new Error('the demo publication has no articles');
    // A free story: the same bytes for every reader (metered ones are measured in metered-page.ts).
    let articlePath = '';
    let bytes = Buffer.alloc(0);
    for (const u of urls) {
      const page = Buffer.from(await (await fetch(`http://127.0.0.1:${port}${u}`)).arrayBuffer());
      if (page.includes('data-access="open"')) {
        articlePath = u;
        bytes = page;
        break;
      }
    }
    if (!articlePath) throw new Error('the demo publication has no free article');
    const url = `http://127.0.0.1:${port}${articlePath}`;
    const bodyFile = path.join(dataDir, 'page.html');
    fs.writeFileSync(bodyFile, bytes);

    const barePort = 3902;
    const bare = startPinned(SERVER_CORE, process.execPath, [path.join(ROOT, 'bench/bare-server.js'), bodyFile, String(barePort)]);
    let bareResult: LoadResult;
    try {
      await waitForHttp(`http://127.0.0.1:${barePort}/`);
      await runLoad(`http://127.0.0.1:${barePort}/`, { connections: opts.connections, seconds: 2 }); // warm-up
      bareResult = await runLoad(`http://127.0.0.1:${barePort}/`, { connections: opts.connections, seconds: opts.seconds });
    } finally {
      await stop(bare);
    }
    await runLoad(url, { connections: opts.connections, seconds: 2 }); // warm-up: fill the page cache, JIT
    const mastheadResult = await runLoad(url, { connections: opts.connections, seconds: opts.seconds });

    const ratio = mastheadResult.requestsPerSec / bareResult.requestsPerSec;
    console.log(`\n(a) Article page ${articlePath} (${bytes.length.toLocaleString('en-US')} bytes), ${opts.connections} connections, ${opts.seconds} s, ${mastheadResult.tool}`);
    console.log(barChart([
      { label: 'bare node:http', value: bareResult.requestsPerSec, unit: `req/s  p50 ${bareResult.p50Ms.toFixed(2)} ms  p99 ${bareResult.p99Ms.toFixed(2)} ms` },
      { label: 'Masthead', value: mastheadResult.requestsPerSec, unit: `req/s  p50 ${mastheadResult.p50Ms.toFixed(2)} ms  p99 ${mastheadResult.p99Ms.toFixed(2)} ms` },
    ]));
    console.log(`ratio Masthead / bare: ${ratio.toFixed(2)}${mastheadResult.non2xx ? `  (non-2xx: ${mastheadResult.non2xx})` : ''}`);
    return { masthead: mastheadResult, bare: bareResult, ratio, bytes: bytes.length };
  } finally {
    await stop(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
