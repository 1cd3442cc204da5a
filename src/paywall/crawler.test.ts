import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CrawlerVerifier, canonicalAddress, claimedCrawler } from './crawler.ts';
import type { CrawlerVerdict, CrawlerVerifierOptions, Resolver } from './crawler.ts';

const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const BINGBOT_UA = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const MINUTE = 60_000;

// An answer is a record set, a DNS error code to throw, or 'hang' (never answers).
type Answer = string[] | { code: string } | 'hang';
type Zone = Record<string, Answer>;

/** A resolver over fixed answers; a missing name is NXDOMAIN, as node:dns reports it. */
class FakeResolver implements Resolver {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly log: string[] = [];
  #gate: Promise<void> | null = null;
  #open: () => void = () => {};

  constructor(private readonly zones: { ptr?: Zone; a?: Zone; aaaa?: Zone } = {}) {}

  /** Hold every answer until `release()`, to see how many look-ups pile up. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open();
  }

  reverse(ip: string) {
    return this.#answer('PTR', ip, this.zones.ptr);
  }
  resolve4(host: string) {
    return this.#answer('A', host, this.zones.a);
  }
  resolve6(host: string) {
    return this.#answer('AAAA', host, this.zones.aaaa);
  }

  async #answer(type: string, name: string, zone: Zone | undefined): Promise<string[]> {
    this.calls++;
    this.log.push(`${type} ${name}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.#gate) await this.#gate;
      const answer = zone?.[name];
      if (answer === 'hang') return await new Promise<never>(() => {});
      if (answer === undefined) throw Object.assign(new Error(`queryNotFound ${name}`), { code: 'ENOTFOUND' });
      if (!Array.isArray(answer)) throw Object.assign(new Error(`query failed ${name}`), answer);
      return answer;
    } finally {
      this.inFlight--;
    }
  }
}

function build(resolver: Resolver, opts: Partial<CrawlerVerifierOptions> = {}) {
  const clock = { t: Date.UTC(2026, 0, 15) };
  const verifier = new CrawlerVerifier({ resolver, now: () => clock.t, ...opts });
  return { verifier, clock };
}

// Real crawler records, as Google and Microsoft publish them.
const REAL = {
  ptr: {
    '66.249.66.1': ['crawl-66-249-66-1.googlebot.com.'],
    '66.249.90.77': ['rate-limited-proxy-66-249-90-77.google.com'],
    '157.55.39.1': ['msnbot-157-55-39-1.search.msn.com.'],
    '2001:4860:4801:10::1': ['crawl-2001-4860-4801-10--1.googlebot.com.'],
  },
  a: {
    'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'],
    'rate-limited-proxy-66-249-90-77.google.com': ['66.249.90.77'],
    'msnbot-157-55-39-1.search.msn.com': ['157.55.39.1'],
  },
  // Spelled out in full: the comparison must not depend on how DNS spells an address.
  aaaa: { 'crawl-2001-4860-4801-10--1.googlebot.com': ['2001:4860:4801:0010:0000:0000:0000:0001'] },
} satisfies { ptr: Zone; a: Zone; aaaa: Zone };

const zone = (extra: { ptr?: Zone; a?: Zone; aaaa?: Zone }) => ({
  ptr: { ...REAL.ptr, ...extra.ptr },
  a: { ...REAL.a, ...extra.a },
  aaaa: { ...REAL.aaaa, ...extra.aaaa },
});

describe('claimedCrawler', () => {
  const cases: [string | undefined, ReturnType<typeof claimedCrawler>][] = [
    [GOOGLEBOT_UA, 'googlebot'],
    ['Googlebot-Image/1.0', 'googlebot'],
    ['Googlebot-News', 'googlebot'],
    ['Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X) Chrome/126 Mobile Safari/537.36 (compatible; GoogleBot/2.1)', 'googlebot'],
    ['Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)', 'googlebot'],
    [BINGBOT_UA, 'bingbot'],
    ['msnbot/2.0b (+http://search.msn.com/msnbot.htm)', 'bingbot'],
    ['BINGBOT/2.0', 'bingbot'],
    [BROWSER_UA, null],
    ['curl/8.5.0', null],
    ['', null],
    [undefined, null],
  ];
  for (const [ua, expected] of cases) {
    it(`${JSON.stringify(ua)?.slice(0, 60)} → ${expected}`, () => assert.equal(claimedCrawler(ua), expected));
  }
});

describe('canonicalAddress', () => {
  const cases: [string, ReturnType<typeof canonicalAddress>][] = [
    ['66.249.66.1', { address: '66.249.66.1', family: 4 }],
    ['::ffff:66.249.66.1', { address: '66.249.66.1', family: 4 }],
    ['::FFFF:42f9:4201', { address: '66.249.66.1', family: 4 }],
    ['2001:4860:4801:0010::0001', { address: '2001:4860:4801:10::1', family: 6 }],
    ['fe80::1%eth0', null],
    ['066.249.66.1', null],
    ['66.249.66.1:443', null],
    ['localhost', null],
    ['', null],
  ];
  for (const [ip, expected] of cases) {
    it(`${JSON.stringify(ip)}`, () => assert.deepEqual(canonicalAddress(ip), expected));
  }
});

describe('CrawlerVerifier.verify', () => {
  const cases: { name: string; ip: string; ua: string; zones?: ReturnType<typeof zone>; opts?: Partial<CrawlerVerifierOptions>; expected: CrawlerVerdict }[] = [
    {
      name: 'real Googlebot is verified',
      ip: '66.249.66.1', ua: GOOGLEBOT_UA,
      expected: { verified: true, crawler: 'googlebot', host: 'crawl-66-249-66-1.googlebot.com' },
    },
    {
      name: 'Google-InspectionTool from a google.com host is verified',
      ip: '66.249.90.77', ua: 'Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)',
      expected: { verified: true, crawler: 'googlebot', host: 'rate-limited-proxy-66-249-90-77.google.com' },
    },
    {
      name: 'real Bingbot is verified',
      ip: '157.55.39.1', ua: BINGBOT_UA,
      expected: { verified: true, crawler: 'bingbot', host: 'msnbot-157-55-39-1.search.msn.com' },
    },
    {
      name: 'IPv6 Googlebot is verified through AAAA',
      ip: '2001:4860:4801:10::1', ua: GOOGLEBOT_UA,
      expected: { verified: true, crawler: 'googlebot', host: 'crawl-2001-4860-4801-10--1.googlebot.com' },
    },
    {
      name: 'an IPv4-mapped IPv6 address is verified as IPv4',
      ip: '::ffff:66.249.66.1', ua: GOOGLEBOT_UA,
      expected: { verified: true, crawler: 'googlebot', host: 'crawl-66-249-66-1.googlebot.com' },
    },
    {
      name: 'every PTR name is checked, not just the first',
      ip: '66.249.66.9', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '66.249.66.9': ['static.example.net', 'crawl-66-249-66-9.googlebot.com'] }, a: { 'crawl-66-249-66-9.googlebot.com': ['66.249.66.9'] } }),
      expected: { verified: true, crawler: 'googlebot', host: 'crawl-66-249-66-9.googlebot.com' },
    },
    {
      name: 'Googlebot UA from an address without PTR is rejected',
      ip: '203.0.113.7', ua: GOOGLEBOT_UA,
      expected: { verified: false, reason: 'no-reverse-dns' },
    },
    {
      name: 'an empty PTR answer is rejected',
      ip: '203.0.113.8', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.8': [] } }),
      expected: { verified: false, reason: 'no-reverse-dns' },
    },
    {
      name: 'PTR in a look-alike domain (evilgooglebot.com) is rejected',
      ip: '203.0.113.9', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.9': ['crawl.evilgooglebot.com'] }, a: { 'crawl.evilgooglebot.com': ['203.0.113.9'] } }),
      expected: { verified: false, reason: 'wrong-domain' },
    },
    {
      name: 'PTR with the real domain as a prefix (googlebot.com.evil.example) is rejected',
      ip: '203.0.113.10', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.10': ['crawl-66-249-66-1.googlebot.com.evil.example.'] }, a: { 'crawl-66-249-66-1.googlebot.com.evil.example': ['203.0.113.10'] } }),
      expected: { verified: false, reason: 'wrong-domain' },
    },
    {
      name: 'the bare domain itself is not a crawler host',
      ip: '203.0.113.11', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.11': ['googlebot.com'] }, a: { 'googlebot.com': ['203.0.113.11'] } }),
      expected: { verified: false, reason: 'wrong-domain' },
    },
    {
      name: "a Bingbot UA from Google's address is rejected (domains are per crawler)",
      ip: '66.249.66.1', ua: BINGBOT_UA,
      expected: { verified: false, reason: 'wrong-domain' },
    },
    {
      name: 'PTR right but forward DNS returns another address is rejected',
      ip: '203.0.113.12', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.12': ['crawl-66-249-66-1.googlebot.com'] } }),
      expected: { verified: false, reason: 'forward-mismatch' },
    },
    {
      name: 'PTR right but the name does not resolve is rejected',
      ip: '203.0.113.13', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '203.0.113.13': ['crawl-203-0-113-13.googlebot.com'] } }),
      expected: { verified: false, reason: 'forward-mismatch' },
    },
    {
      name: 'an IPv6 client is not verified by an A record holding some IPv4 address',
      ip: '2001:db8::66', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '2001:db8::66': ['crawl-66-249-66-1.googlebot.com'] } }),
      expected: { verified: false, reason: 'forward-mismatch' },
    },
    {
      name: 'forward lookup failure (SERVFAIL) fails closed',
      ip: '66.249.66.2', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '66.249.66.2': ['crawl-66-249-66-2.googlebot.com'] }, a: { 'crawl-66-249-66-2.googlebot.com': { code: 'ESERVFAIL' } } }),
      expected: { verified: false, reason: 'dns-failure' },
    },
    {
      name: 'forward lookup timeout fails closed',
      ip: '66.249.66.3', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '66.249.66.3': ['crawl-66-249-66-3.googlebot.com'] }, a: { 'crawl-66-249-66-3.googlebot.com': 'hang' } }),
      opts: { timeoutMs: 20 },
      expected: { verified: false, reason: 'dns-failure' },
    },
    {
      name: 'reverse lookup timeout reported by DNS fails closed',
      ip: '66.249.66.4', ua: GOOGLEBOT_UA,
      zones: zone({ ptr: { '66.249.66.4': { code: 'ETIMEOUT' } } }),
      expected: { verified: false, reason: 'dns-failure' },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const resolver = new FakeResolver(c.zones ?? REAL);
      const { verifier } = build(resolver, c.opts);
      assert.deepEqual(await verifier.verify(c.ip, c.ua), c.expected);
      assert.equal(verifier.stats().pending, 0);
    });
  }

  it('looks up the IPv4 form of a mapped address (PTR and A, not AAAA)', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier } = build(resolver);
    await verifier.verify('::ffff:66.249.66.1', GOOGLEBOT_UA);
    assert.deepEqual(resolver.log, ['PTR 66.249.66.1', 'A crawl-66-249-66-1.googlebot.com']);
  });

  const untouched: [label: string, ip: string, ua: string | undefined, expected: CrawlerVerdict][] = [
    ['browser', '66.249.66.1', BROWSER_UA, { verified: false, reason: 'not-a-crawler' }],
    ['no user agent', '66.249.66.1', undefined, { verified: false, reason: 'not-a-crawler' }],
    ['empty user agent', '66.249.66.1', '', { verified: false, reason: 'not-a-crawler' }],
    ['curl', '203.0.113.5', 'curl/8.5.0', { verified: false, reason: 'not-a-crawler' }],
    ['Googlebot', 'not-an-ip', GOOGLEBOT_UA, { verified: false, reason: 'invalid-address' }],
    ['Googlebot', '', GOOGLEBOT_UA, { verified: false, reason: 'invalid-address' }],
    ['Googlebot', '66.249.66.1:443', GOOGLEBOT_UA, { verified: false, reason: 'invalid-address' }],
    ['Bingbot', 'fe80::1%eth0', BINGBOT_UA, { verified: false, reason: 'invalid-address' }],
  ];
  for (const [label, ip, ua, expected] of untouched) {
    it(`${label} from ${JSON.stringify(ip)} → ${expected.verified ? 'verified' : expected.reason}, no DNS`, async () => {
      const resolver = new FakeResolver(REAL);
      const { verifier } = build(resolver);
      assert.deepEqual(await verifier.verify(ip, ua), expected);
      assert.equal(resolver.calls, 0);
      assert.equal(verifier.stats().cacheSize, 0);
    });
  }
});

describe('CrawlerVerifier cache', () => {
  it('a second verification of the same address does no lookup', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier } = build(resolver);
    const first = await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    const calls = resolver.calls;
    assert.equal(calls, 2);
    assert.deepEqual(await verifier.verify('66.249.66.1', GOOGLEBOT_UA), first);
    assert.deepEqual(await verifier.verify('::ffff:66.249.66.1', 'Googlebot-Image/1.0'), first);
    assert.equal(resolver.calls, calls);
  });

  it('a verified crawler is looked up again once its hour is over', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier, clock } = build(resolver);
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    clock.t += 59 * MINUTE;
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    assert.equal(resolver.calls, 2);
    clock.t += 1 * MINUTE;
    assert.equal((await verifier.verify('66.249.66.1', GOOGLEBOT_UA)).verified, true);
    assert.equal(resolver.calls, 4);
  });

  it('rejected entries expire sooner than verified ones', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier, clock } = build(resolver);
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    await verifier.verify('203.0.113.7', GOOGLEBOT_UA);
    assert.equal(resolver.calls, 3);
    clock.t += 10 * MINUTE;
    assert.equal((await verifier.verify('66.249.66.1', GOOGLEBOT_UA)).verified, true);
    assert.equal(resolver.calls, 3, 'verified entry still cached');
    assert.deepEqual(await verifier.verify('203.0.113.7', GOOGLEBOT_UA), { verified: false, reason: 'no-reverse-dns' });
    assert.equal(resolver.calls, 4, 'rejected entry looked up again');
  });

  it('a DNS failure is cached for a minute, so an outage is not hammered', async () => {
    const resolver = new FakeResolver(zone({ ptr: { '66.249.66.4': { code: 'ESERVFAIL' } } }));
    const { verifier, clock } = build(resolver);
    for (let i = 0; i < 5; i++) await verifier.verify('66.249.66.4', GOOGLEBOT_UA);
    assert.equal(resolver.calls, 1);
    clock.t += MINUTE;
    assert.equal((await verifier.verify('66.249.66.4', GOOGLEBOT_UA)).verified, false);
    assert.equal(resolver.calls, 2);
  });

  it('the TTLs can be configured', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier, clock } = build(resolver, { ttlMs: 5 * MINUTE, rejectedTtlMs: MINUTE });
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    await verifier.verify('203.0.113.7', GOOGLEBOT_UA);
    clock.t += MINUTE;
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    await verifier.verify('203.0.113.7', GOOGLEBOT_UA);
    assert.equal(resolver.calls, 4);
    clock.t += 4 * MINUTE;
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    assert.equal(resolver.calls, 6);
  });

  it('concurrent requests for one address share one lookup', async () => {
    const resolver = new FakeResolver(REAL);
    resolver.hold();
    const { verifier } = build(resolver);
    const all = Array.from({ length: 50 }, () => verifier.verify('66.249.66.1', GOOGLEBOT_UA));
    assert.equal(verifier.stats().pending, 1);
    resolver.release();
    const verdicts = await Promise.all(all);
    assert.ok(verdicts.every((v) => v.verified));
    assert.equal(resolver.calls, 2);
    assert.deepEqual(verifier.stats(), { cacheSize: 1, pending: 0 });
  });

  it('a resolver that never answers frees its slot at the deadline', async () => {
    const resolver = new FakeResolver(zone({ ptr: { '66.249.66.5': 'hang' } }));
    const { verifier } = build(resolver, { timeoutMs: 10 });
    assert.deepEqual(await verifier.verify('66.249.66.5', GOOGLEBOT_UA), { verified: false, reason: 'dns-failure' });
    assert.deepEqual(verifier.stats(), { cacheSize: 1, pending: 0 });
  });

  it('1,000 spoofed bots from 1,000 addresses: at most maxPending look-ups, the rest are busy at once', async () => {
    const resolver = new FakeResolver(REAL);
    resolver.hold(); // a DNS server that has stopped answering for now
    const { verifier } = build(resolver);
    const settled: CrawlerVerdict[] = [];
    const all = Array.from({ length: 1000 }, (_, i) => {
      const p = verifier.verify(`198.51.${i >> 8}.${i & 255}`, GOOGLEBOT_UA);
      void p.then((v) => settled.push(v));
      return p;
    });
    await new Promise((resolve) => setImmediate(resolve));

    // While DNS is stuck, everyone beyond the cap already has an answer.
    assert.equal(resolver.calls, 100);
    assert.equal(verifier.stats().pending, 100);
    assert.equal(settled.length, 900);
    assert.ok(settled.every((v) => !v.verified && v.reason === 'busy'));

    resolver.release();
    const verdicts = await Promise.all(all);
    assert.equal(verdicts.length, 1000);
    assert.ok(verdicts.every((v) => !v.verified));
    assert.equal(verdicts.filter((v) => !v.verified && v.reason === 'busy').length, 900);
    assert.equal(verdicts.filter((v) => !v.verified && v.reason === 'no-reverse-dns').length, 100);
    assert.equal(resolver.maxInFlight, 100);
    assert.equal(resolver.calls, 100);
    // 'busy' is not remembered: those addresses are checked when there is room.
    assert.deepEqual(verifier.stats(), { cacheSize: 100, pending: 0 });
  });

  it('a real crawler joining an in-flight look-up is not turned away as busy', async () => {
    const resolver = new FakeResolver(REAL);
    resolver.hold();
    const { verifier } = build(resolver, { maxPending: 1 });
    const first = verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    const other = await verifier.verify('157.55.39.1', BINGBOT_UA);
    assert.deepEqual(other, { verified: false, reason: 'busy' });
    const second = verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    resolver.release();
    assert.equal((await first).verified, true);
    assert.equal((await second).verified, true);
    assert.equal((await verifier.verify('157.55.39.1', BINGBOT_UA)).verified, true);
  });

  it('the cache never holds more than maxEntries, dropping the oldest', async () => {
    const resolver = new FakeResolver(REAL);
    const { verifier } = build(resolver, { maxEntries: 50 });
    for (let i = 0; i < 200; i++) {
      await verifier.verify(`198.51.100.${i}`, GOOGLEBOT_UA);
      assert.ok(verifier.stats().cacheSize <= 50);
    }
    assert.equal(verifier.stats().cacheSize, 50);
    const calls = resolver.calls;
    await verifier.verify('198.51.100.199', GOOGLEBOT_UA); // newest: still cached
    assert.equal(resolver.calls, calls);
    await verifier.verify('198.51.100.0', GOOGLEBOT_UA); // oldest: evicted
    assert.equal(resolver.calls, calls + 1);
    assert.equal(verifier.stats().cacheSize, 50);
  });
});
