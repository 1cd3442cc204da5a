// Links stored as absolute URLs (in a newsletter issue, an edition) shown on the site's own
// pages: the path and query only, so the page follows the site wherever it is served.

/** The path and query of an absolute URL; '/' when it does not parse. */
export function sitePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return '/';
  }
}
