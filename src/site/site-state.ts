// Keeps the site's view of the publication current: the SiteContext and the page cache are
// rebuilt when the content version in the database moves, checked at most once a second so
// that a save from another process (the CLI) reaches this one quickly and cheaply.
import type { Db } from '../db/database.ts';
import { contentVersion } from '../content/article-store.ts';
import { getPublication } from '../content/publication.ts';
import { listSections } from '../content/queries.ts';
import { buildSiteContext, type SiteContext } from './site-context.ts';
import { PageCache } from './page-cache.ts';

const CHECK_INTERVAL_MS = 1000;

export class SiteState {
  readonly cache = new PageCache();
  private context: SiteContext | null = null;
  private version = -1;
  private checkedAt = 0;
  private pending: Promise<void> | null = null;

  constructor(private readonly opts: { db: Db; publicUrlOverride: string | null; defaultPublicUrl: string; now: () => number }) {}

  /** The current context; refreshes first when the last check is older than a second. */
  async current(): Promise<{ site: SiteContext; version: number }> {
    if (!this.context || Date.now() - this.checkedAt > CHECK_INTERVAL_MS) await this.refresh();
    return { site: this.context!, version: this.version };
  }

  /**
   * The base of absolute links as last loaded (PUBLIC_URL, else the saved setting). Before the
   * first load it cannot know the setting and answers PUBLIC_URL or the default address: code
   * that may run first (the CLI, jobs) uses loadedPublicUrl().
   */
  publicUrl(): string {
    return this.context?.publicUrl ?? this.opts.publicUrlOverride ?? this.opts.defaultPublicUrl;
  }

  /** The base of absolute links, loading the publication's settings first when they are not yet (or no longer) current. */
  async loadedPublicUrl(): Promise<string> {
    return (await this.current()).site.publicUrl;
  }

  /** PUBLIC_URL from the environment, which wins over the stored setting; null when unset. */
  publicUrlOverride(): string | null {
    return this.opts.publicUrlOverride;
  }

  /** True while the last version check is recent enough to trust the cache without a new one. */
  isFresh(): boolean {
    return this.context !== null && Date.now() - this.checkedAt <= CHECK_INTERVAL_MS;
  }

  /** Re-reads the version now (after a save in this process, or from tests). */
  refresh(): Promise<void> {
    this.pending ??= this.load().finally(() => (this.pending = null));
    return this.pending;
  }

  private async load(): Promise<void> {
    const version = await contentVersion(this.opts.db);
    this.checkedAt = Date.now();
    if (version === this.version && this.context) {
      // Pages print today's date in the masthead: a new day starts a fresh cache.
      this.cache.sync(`${version}|${this.context.todayLabel()}`);
      return;
    }
    const [publication, sections] = await Promise.all([getPublication(this.opts.db), listSections(this.opts.db)]);
    this.context = buildSiteContext({
      publication,
      publicUrl: this.opts.publicUrlOverride ?? publication.publicUrl ?? this.opts.defaultPublicUrl,
      sections,
      now: this.opts.now,
    });
    this.cache.sync(`${version}|${this.context.todayLabel()}`);
    this.version = version;
  }
}
