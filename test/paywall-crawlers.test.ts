// Verified crawlers through a real socket: the full story only when reverse and forward DNS
// agree; a user agent alone, a look-alike name, a forward mismatch or a forged
// X-Forwarded-For opens nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { listen } from './support/server.ts';
import type { Resolver } from '../src/paywall/crawler.ts';

const CANARY = 'Periwinkle lighthouses hum at dusk';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

function resolver(ptr: Record<string, string[]>, a: Record<string, string[]>): Resolver {
  const notFound = () => Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return {
    async reverse(ip) {
      if (ptr[ip]) return ptr[ip];
      throw notFound();
    },
    async resolve4(host) {
      if (a[host]) return a[host];
      throw notFound();
    },
    async resolve6() {
      throw notFound();
    },
  };
}

const body = `The crawler may read this.\n\nAnd this second paragraph.\n\n${CANARY}.\n\nThe end.`;

for (const dialect of DIALECTS) {
  describe(`verified crawlers (${dialect})`, () => {
    const cases: { name: string; ptr: Record<string, string[]>; a: Record<string, string[]>; env?: Record<string, string>; headers?: Record<string, string>; expectFull: boolean }[] = [
      { name: 'reverse and forward DNS agree: the full story', ptr: { '127.0.0.1': ['crawl-127-0-0-1.googlebot.com.'] }, a: { 'crawl-127-0-0-1.googlebot.com': ['127.0.0.1'] }, expectFull: true },
      { name: 'a user agent from an address with no reverse DNS: anonymous', ptr: {}, a: {}, expectFull: false },
      { name: 'a look-alike domain: anonymous', ptr: { '127.0.0.1': ['crawl.googlebot.com.evil.example.'] }, a: { 'crawl.googlebot.com.evil.example': ['127.0.0.1'] }, expectFull: false },
      { name: 'forward DNS returns another address: anonymous', ptr: { '127.0.0.1': ['crawl-66-249-66-1.googlebot.com.'] }, a: { 'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'] }, expectFull: false },
      {
        name: 'X-Forwarded-For naming a real Googlebot address is ignored without TRUST_PROXY',
        ptr: { '66.249.66.1': ['crawl-66-249-66-1.googlebot.com.'] }, a: { 'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'] },
        headers: { 'x-forwarded-for': '66.249.66.1' }, expectFull: false,
      },
      {
        name: 'X-Forwarded-For is honoured from the proxy TRUST_PROXY names',
        ptr: { '66.249.66.1': ['crawl-66-249-66-1.googlebot.com.'] }, a: { 'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'] },
        env: { TRUST_PROXY: '127.0.0.1' }, headers: { 'x-forwarded-for': '66.249.66.1' }, expectFull: true,
      },
    ];

    for (const tc of cases) {
      describe(tc.name, () => {
        let t: TestApp;
        let server: { url: string; close(): Promise<void> };
        let path: string;
        before(async () => {
          t = await startTestApp(dialect, { env: tc.env, crawlerResolver: resolver(tc.ptr, tc.a) });
          path = (await t.article({ headline: 'For subscribers only', access: 'subscriber', body, publishedAt: NOW - 1000 })).urlPath!;
          server = await listen(t.app);
        });
        after(async () => {
          await server.close();
          await t.close();
        });

        it(tc.expectFull ? 'gets the whole story, marked up as paywalled' : 'gets the locked page', async () => {
          const res = await fetch(server.url + path, { headers: { 'user-agent': GOOGLEBOT, ...tc.headers } });
          const html = await res.text();
          assert.equal(res.status, 200);
          if (tc.expectFull) {
            assert.match(html, new RegExp(CANARY));
            assert.match(html, /class="paywalled"/);
            const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]);
            assert.equal(ld.isAccessibleForFree, false);
            assert.deepEqual(ld.hasPart, { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywalled' });
          } else {
            assert.doesNotMatch(html, new RegExp(CANARY));
            assert.match(html, /data-access="locked"/);
          }
        });
      });
    }
  });
}
