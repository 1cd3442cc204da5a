/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The page shell every reader page shares: head metadata, nameplate, section navigation,
// footer. Styles are inlined (one small sheet) so the first paint needs no second request.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { SiteContext } from '../site-context.ts';

export interface SocialCard {
  type: 'article' | 'website';
  image?: { url: string; width: number; height: number; alt: string };
  publishedAt?: number;
  modifiedAt?: number;
  section?: string;
  authors?: string[];
  tags?: string[];
}

export interface PageMeta {
  title: string;
  description: string;
  /** Absolute canonical URL; omitted on pages that should not be indexed. */
  canonical?: string;
  isNoindex?: boolean;
  social?: SocialCard;
  jsonLd?: object;
  feeds?: { title: string; path: string }[];
  currentSection?: string;
}

/** JSON for a <script type="application/ld+json"> block that no string can break out of. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function Layout(props: { site: SiteContext; meta: PageMeta; children?: Child }) {
  const { site, meta } = props;
  const pub = site.publication;
  const fullTitle = meta.title === pub.name ? pub.name : `${meta.title} - ${pub.name}`;
  const social = meta.social;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={meta.description} />
        {meta.canonical ? <link rel="canonical" href={meta.canonical} /> : null}
        {meta.isNoindex ? <meta name="robots" content="noindex" /> : null}
        <meta name="theme-color" content="#fdfcf9" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#141412" media="(prefers-color-scheme: dark)" />
        <link rel="preload" href="/assets/fonts/newsreader-400.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {(meta.feeds ?? site.defaultFeeds).map((f) => (
          <link rel="alternate" type={f.path.endsWith('.json') ? 'application/feed+json' : f.path.endsWith('atom.xml') ? 'application/atom+xml' : 'application/rss+xml'} title={f.title} href={f.path} />
        ))}
        <meta property="og:site_name" content={pub.name} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:type" content={social?.type ?? 'website'} />
        {meta.canonical ? <meta property="og:url" content={meta.canonical} /> : null}
        {social?.image ? (
          <>
            <meta property="og:image" content={social.image.url} />
            <meta property="og:image:width" content={String(social.image.width)} />
            <meta property="og:image:height" content={String(social.image.height)} />
            <meta property="og:image:alt" content={social.image.alt} />
          </>
        ) : null}
        {social?.publishedAt ? <meta property="article:published_time" content={new Date(social.publishedAt).toISOString()} /> : null}
        {social?.modifiedAt ? <meta property="article:modified_time" content={new Date(social.modifiedAt).toISOString()} /> : null}
        {social?.section ? <meta property="article:section" content={social.section} /> : null}
        {(social?.tags ?? []).map((t) => <meta property="article:tag" content={t} />)}
        <meta name="twitter:card" content={social?.image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={meta.title} />
        <meta name="twitter:description" content={meta.description} />
        {social?.image ? <meta name="twitter:image" content={social.image.url} /> : null}
        {social?.image ? <meta name="twitter:image:alt" content={social.image.alt} /> : null}
        {meta.jsonLd ? <script type="application/ld+json">{raw(jsonForScript(meta.jsonLd))}</script> : null}
        <style>{raw(site.css)}</style>
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <header class="site-head">
          <div class="wrap">
            <div class="site-top">
              <span>{site.todayLabel()}</span>
              <span class="site-links"><a href="/subscribe" class="subscribe-link">Subscribe</a> <a href="/account">Account</a></span>
              <form action="/search" method="get" role="search" aria-label="Site search">
                <label for="site-q" class="skip">Search</label>
                <input id="site-q" type="search" name="q" placeholder="Search" aria-label="Search the site" />
                <button type="submit">Search</button>
              </form>
            </div>
            <div class="nameplate">
              <a href="/">{pub.name}</a>
              {pub.tagline ? <p>{pub.tagline}</p> : null}
            </div>
          </div>
          <nav class="site-nav" aria-label="Sections">
            <ul>
              {site.topSections.map((s) => (
                <li>
                  <a href={`/${s.path}`} aria-current={meta.currentSection === s.path ? 'page' : undefined}>{s.name}</a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="content" class="wrap">{props.children}</main>
        <footer class="site-foot">
          <div class="wrap">
            {/* A GET to the sign-up page, which carries the form token: this footer sits on cached pages. */}
            <form class="foot-signup" action="/newsletters" method="get" aria-labelledby="foot-signup-label">
              <label id="foot-signup-label" for="foot-signup-email">Our newsletters, free in your inbox</label>
              <input id="foot-signup-email" type="email" name="email" autocomplete="email" maxlength={254} placeholder="you@example.com" required />
              <button type="submit">Sign up</button>
            </form>
            <p>
              &copy; {String(new Date(site.now()).getUTCFullYear())} {pub.name}. {pub.tagline}
            </p>
            <ul>
              {site.topSections.map((s) => (
                <li><a href={`/${s.path}`}>{s.name}</a></li>
              ))}
              <li><a href="/newsletters">Newsletters</a></li>
              <li><a href="/feeds/rss.xml">RSS</a></li>
              <li><a href="/search">Search</a></li>
              {pub.contactEmail ? <li><a href={`mailto:${pub.contactEmail}`}>Contact the newsroom</a></li> : null}
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
