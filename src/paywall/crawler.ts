// Search crawlers read metered stories in full, so "I am Googlebot" must be proven: the
// client address's reverse DNS has to end in the crawler's published domain, and that name's
// forward DNS has to return the same address (Google's and Microsoft's documented check).
// The caller passes the socket address (or one vouched for by TRUST_PROXY), never a raw
// X-Forwarded-For. Everything fails closed, and look-ups are cached and capped so a flood of
// spoofed bots cannot stall the site or hammer DNS.
import { isIP } from 'node:net';
import { Resolver as DnsResolver } from 'node:dns/promises';

export type CrawlerName = 'googlebot' | 'bingbot';

export type CrawlerRejection =
  | 'not-a-crawler'
  | 'no-reverse-dns'
  | 'wrong-domain'
  | 'forward-mismatch'
  | 'dns-failure'
  | 'busy'
  | 'invalid-address';

export type CrawlerVerdict =
  | { verified: true; crawler: CrawlerName; host: string }
  | { verified: false; reason: CrawlerRejection };

/** The DNS the verifier needs; `systemResolver` is the real one, tests inject a fake. */
export interface Resolver {
  reverse(ip: string): Promise<string[]>;
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

export function systemResolver(timeoutMs = 1000): Resolver {
  // One try: a slow resolver must not multiply the wait, the verifier fails closed anyway.
  const dns = new DnsResolver({ timeout: timeoutMs, tries: 1 });
  return {
    reverse: (ip) => dns.reverse(ip),
    resolve4: (host) => dns.resolve4(host),
    resolve6: (host) => dns.resolve6(host),
  };
}

// Googlebot family (Googlebot, -Image, -News, -Video) plus Search Console's live test;
// bingbot and its predecessor msnbot (still sent by some Bing fetchers).
const GOOGLE_UA = /googlebot|google-inspectiontool/i;
const BING_UA = /bingbot|msnbot/i;

export function claimedCrawler(userAgent: string | undefined): CrawlerName | null {
  if (!userAgent) return null;
  if (GOOGLE_UA.test(userAgent)) return 'googlebot';
  if (BING_UA.test(userAgent)) return 'bingbot';
  return null;
}

const PUBLISHED_DOMAINS: Record<CrawlerName, readonly string[]> = {
  googlebot: ['googlebot.com', 'google.com', 'googleusercontent.com'],
  bingbot: ['search.msn.com'],
};

/** Lower-case, without the root's trailing dot that PTR answers may carry. */
function normaliseHost(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** A strict subdomain: `evilgooglebot.com` and `googlebot.com.evil.example` do not count. */
export function isInPublishedDomain(host: string, crawler: CrawlerName): boolean {
  return PUBLISHED_DOMAINS[crawler].some((domain) => host.endsWith(`.${domain}`));
}

/**
 * One canonical spelling per address, so cache keys and forward answers compare equal:
 * IPv4-mapped IPv6 (`::ffff:66.249.66.1`, also in hex) becomes IPv4; IPv6 is compressed
 * per WHATWG URL. Zone ids and anything `net.isIP` rejects give null.
 */
export function canonicalAddress(ip: string): { address: string; family: 4 | 6 } | null {
  const family = isIP(ip);
  if (family === 4) return { address: ip, family: 4 };
  if (family !== 6) return null;
  let address: string;
  try {
    address = new URL(`http://[${ip}]`).hostname.slice(1, -1);
  } catch {
    return null; // e.g. `fe80::1%eth0`: no crawler comes from a scoped address
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 4 };
  }
  return { address, family: 6 };
}

function sameAddress(answer: string, address: string): boolean {
  return canonicalAddress(answer)?.address === address;
}

/** NXDOMAIN / no records is an answer ("no such name"), not an outage. */
function isNoAnswer(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

const verdict = <T extends CrawlerVerdict>(v: T): T => Object.freeze(v);
const reject = (reason: CrawlerRejection) => verdict({ verified: false, reason } as const);
const NOT_A_CRAWLER = reject('not-a-crawler');
const INVALID_ADDRESS = reject('invalid-address');
const BUSY = reject('busy');
const DNS_FAILURE = reject('dns-failure');

// A PTR set is controlled by whoever owns the address; bound the forward look-ups it can cause.
const MAX_FORWARD_NAMES = 3;

const MINUTE = 60_000;

export interface CrawlerVerifierOptions {
  resolver: Resolver;
  now: () => number;
  /** How long a verified crawler stays verified (default 1 hour). */
  ttlMs?: number;
  /** How long a definite rejection is remembered (default 10 minutes). */
  rejectedTtlMs?: number;
  /** How long a DNS failure is remembered, so an outage is not hammered (default 1 minute). */
  failureTtlMs?: number;
  /** Cached verdicts kept; the oldest go first (default 10,000). */
  maxEntries?: number;
  /** Look-ups in flight at once; beyond this the answer is 'busy' (default 100). */
  maxPending?: number;
  /** Deadline for one whole look-up, reverse and forward (default 1500 ms). */
  timeoutMs?: number;
}

interface CacheEntry {
  verdict: CrawlerVerdict;
  expiresAt: number;
}

export class CrawlerVerifier {
  readonly #resolver: Resolver;
  readonly #now: () => number;
  readonly #ttl: { verified: number; rejected: number; failure: number };
  readonly #maxEntries: number;
  readonly #maxPending: number;
  readonly #timeoutMs: number;
  // Map order is insertion order, which makes the first key the oldest for eviction.
  readonly #cache = new Map<string, CacheEntry>();
  readonly #pending = new Map<string, Promise<CrawlerVerdict>>();

  constructor(opts: CrawlerVerifierOptions) {
    this.#resolver = opts.resolver;
    this.#now = opts.now;
    this.#ttl = {
      verified: opts.ttlMs ?? 60 * MINUTE,
      rejected: opts.rejectedTtlMs ?? 10 * MINUTE,
      failure: opts.failureTtlMs ?? MINUTE,
    };
    this.#maxEntries = Math.max(1, opts.maxEntries ?? 10_000);
    this.#maxPending = Math.max(1, opts.maxPending ?? 100);
    this.#timeoutMs = opts.timeoutMs ?? 1500;
  }

  verify(ip: string, userAgent: string | undefined): Promise<CrawlerVerdict> {
    const crawler = claimedCrawler(userAgent);
    if (!crawler) return Promise.resolve(NOT_A_CRAWLER);
    const addr = canonicalAddress(ip);
    if (!addr) return Promise.resolve(INVALID_ADDRESS);

    const key = `${crawler} ${addr.address}`;
    const cached = this.#cache.get(key);
    if (cached) {
      if (cached.expiresAt > this.#now()) return Promise.resolve(cached.verdict);
      this.#cache.delete(key);
    }
    const inFlight = this.#pending.get(key);
    if (inFlight) return inFlight;
    // Shed load rather than queue: a flood of spoofed bots gets the anonymous page at once.
    if (this.#pending.size >= this.#maxPending) return Promise.resolve(BUSY);

    const lookup = this.#lookupWithDeadline(addr.address, addr.family, crawler).then((v) => {
      this.#pending.delete(key);
      this.#remember(key, v);
      return v;
    });
    this.#pending.set(key, lookup);
    return lookup;
  }

  stats(): { cacheSize: number; pending: number } {
    return { cacheSize: this.#cache.size, pending: this.#pending.size };
  }

  #remember(key: string, v: CrawlerVerdict): void {
    const ttl = v.verified ? this.#ttl.verified : v.reason === 'dns-failure' ? this.#ttl.failure : this.#ttl.rejected;
    this.#cache.delete(key);
    this.#cache.set(key, { verdict: v, expiresAt: this.#now() + ttl });
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next().value as string;
      this.#cache.delete(oldest);
    }
  }

  async #lookupWithDeadline(address: string, family: 4 | 6, crawler: CrawlerName): Promise<CrawlerVerdict> {
    // The deadline frees the pending slot even if an injected resolver never answers; the
    // aborted flag stops the abandoned look-up from sending further queries.
    const state = { aborted: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<CrawlerVerdict>((resolve) => {
      timer = setTimeout(() => {
        state.aborted = true;
        resolve(DNS_FAILURE);
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([this.#lookup(address, family, crawler, state), deadline]);
    } catch {
      return DNS_FAILURE;
    } finally {
      clearTimeout(timer);
    }
  }

  async #lookup(address: string, family: 4 | 6, crawler: CrawlerName, state: { aborted: boolean }): Promise<CrawlerVerdict> {
    let ptrs: string[];
    try {
      ptrs = await this.#resolver.reverse(address);
    } catch (err) {
      return isNoAnswer(err) ? reject('no-reverse-dns') : DNS_FAILURE;
    }
    if (ptrs.length === 0) return reject('no-reverse-dns');

    const candidates = [...new Set(ptrs.map(normaliseHost))].filter((h) => isInPublishedDomain(h, crawler));
    if (candidates.length === 0) return reject('wrong-domain');

    let hadFailure = false;
    for (const host of candidates.slice(0, MAX_FORWARD_NAMES)) {
      if (state.aborted) return DNS_FAILURE;
      let answers: string[];
      try {
        answers = await (family === 4 ? this.#resolver.resolve4(host) : this.#resolver.resolve6(host));
      } catch (err) {
        if (!isNoAnswer(err)) hadFailure = true;
        continue;
      }
      if (answers.some((a) => sameAddress(a, address))) return verdict({ verified: true, crawler, host } as const);
    }
    // A failed forward look-up proves nothing either way: fail closed, but retry sooner.
    return hadFailure ? DNS_FAILURE : reject('forward-mismatch');
  }
}
