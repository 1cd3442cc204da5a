// Rendered pages kept in memory as encoded bytes (plain and gzip), so the hot path answers
// from a Map. Dropped whole when the content version moves (a save here or in another
// process); bounded so 100,000 articles never all sit in memory.
import zlib from 'node:zlib';

export interface CachedPage {
  status: number;
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer> | null;
  etag: string;
  contentType: string;
  /** Set on article pages, so a hit can be recorded as a view. */
  articleId?: number;
}

export class PageCache {
  private pages = new Map<string, CachedPage>();
  private key = '';

  constructor(private readonly maxEntries = 2000) {}

  /** Forget everything when the key (content version and day) differs from the pages' own. */
  sync(key: string): void {
    if (key !== this.key) {
      this.pages.clear();
      this.key = key;
    }
  }

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (page) {
      // Refresh recency: Map keeps insertion order, so the oldest key is the least used.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.pages.set(key, page);
    if (this.pages.size > this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
  }

  clear(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}

let etagCounter = 0;

export function encodePage(html: string, opts: { status?: number; contentType?: string; version: number }): CachedPage {
  const body = new TextEncoder().encode(html);
  // Small pages are not worth compressing.
  const gzip = body.length > 1024 ? new Uint8Array(zlib.gzipSync(body, { level: 6 })) : null;
  return {
    status: opts.status ?? 200,
    body,
    gzip,
    etag: `W/"${opts.version.toString(36)}-${(etagCounter++).toString(36)}-${body.length.toString(36)}"`,
    contentType: opts.contentType ?? 'text/html; charset=utf-8',
  };
}
