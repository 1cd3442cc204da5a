/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The article page: the story is the interface. Headline, dek, byline, the lead picture
// (never lazy), the body from the block tree, corrections, tags, then more from the section.
import { raw } from 'hono/html';
import type { ArticleFull, ArticleSummary } from '../../content/queries.ts';
import { ACCESS_MARK, NOTICE_MARK } from '../paywall-html.ts';
import type { SiteContext } from '../site-context.ts';
import { Layout } from './layout.tsx';
import { Bylines, Corrections, Dates, LeadFigure, StoryCard } from './components.tsx';
import { articleJsonLd, leadImageUrl } from '../structured-data.ts';

export function dataAccess(article: Pick<ArticleSummary, 'access'>): string {
  return article.access === 'free' ? 'open' : article.access;
}

/**
 * The article page as cacheable parts: the data-access value, the meter notice and the cut
 * between teaser and the rest are markers, filled in per reader (see article-parts.ts).
 */
export function ArticlePage(props: { site: SiteContext; article: ArticleFull; related: ArticleSummary[]; bodyHtml: string }) {
  const { site, article: a } = props;
  const canonical = site.absolute(a.urlPath);
  const image = a.image ? { url: leadImageUrl(site, a.image), width: a.image.widths.includes(1200) ? 1200 : a.image.widths[a.image.widths.length - 1], height: 0, alt: a.imageAlt } : undefined;
  if (image && a.image) image.height = Math.round((image.width / a.image.width) * a.image.height);
  return (
    <Layout
      site={site}
      meta={{
        title: a.headline,
        // Never past the teaser: the dek, or the first paragraph's start.
        description: a.dek || a.bodyText.split('\n')[0].slice(0, 200),
        canonical,
        social: {
          type: 'article',
          image,
          publishedAt: a.publishedAt,
          modifiedAt: a.updatedAt,
          section: a.section.name,
          authors: a.authors.map((x) => x.name),
          tags: a.tags.map((t) => t.name),
        },
        jsonLd: articleJsonLd(site, a),
        currentSection: a.section.path.split('/')[0],
      }}
    >
      <article class="article" data-access={ACCESS_MARK}>
        <header class="article-head">
          <a class="kicker" href={`/${a.section.path}`}>{a.section.name}</a>
          <h1>{a.headline}</h1>
          {a.dek ? <p class="dek">{a.dek}</p> : null}
          <div class="article-meta">
            <Bylines authors={a.authors} />
            <span class="meta">
              <Dates article={a} site={site} />
              {a.wordCount ? ` · ${Math.max(1, Math.round(a.wordCount / 230))} min read` : null}
            </span>
          </div>
        </header>
        <LeadFigure article={a} className="lead-figure" sizes="(min-width: 64rem) 54rem, 100vw" />
        {raw(NOTICE_MARK)}
        <div class="body">{raw(props.bodyHtml)}</div>
        <Corrections article={a} site={site} />
        {a.tags.length > 0 ? (
          <ul class="tags" aria-label="Topics">
            {a.tags.map((t) => (
              <li><a href={`/tag/${t.slug}`}>{t.name}</a></li>
            ))}
          </ul>
        ) : null}
        <p class="article-tools"><a href={`${a.urlPath}/print`} rel="nofollow">Print this article</a></p>
      </article>
      {props.related.length > 0 ? (
        <aside class="related" aria-labelledby="related-h">
          <h2 id="related-h">More from {a.section.name}</h2>
          <ul class="grid">
            {props.related.map((r) => (
              <li><StoryCard article={r} site={site} level={3} withPicture showKicker={false} pictureSizes="(min-width: 72rem) 22rem, (min-width: 40rem) 45vw, 100vw" /></li>
            ))}
          </ul>
        </aside>
      ) : null}
    </Layout>
  );
}
