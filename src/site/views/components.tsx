/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Pieces shared by fronts, listings and the article page.
import { raw } from 'hono/html';
import type { ArticleSummary, Byline } from '../../content/queries.ts';
import { renderPicture } from '../../content/render-html.ts';
import { displayDate, displayDateTime } from '../../content/dates.ts';
import type { ArticleFull } from '../../content/queries.ts';
import type { SiteContext } from '../site-context.ts';

export function Bylines(props: { authors: Byline[]; isLinked?: boolean }) {
  const { authors } = props;
  if (authors.length === 0) return null;
  const names = authors.map((a) => (props.isLinked === false ? <span>{a.name}</span> : <a href={`/author/${a.slug}`}>{a.name}</a>));
  const joined: unknown[] = [];
  names.forEach((n, i) => {
    if (i > 0) joined.push(i === names.length - 1 ? ' and ' : ', ');
    joined.push(n);
  });
  return <span class="byline">By {joined}</span>;
}

export function Time(props: { ms: number; site: SiteContext }) {
  return <time datetime={new Date(props.ms).toISOString()}>{displayDate(props.ms, props.site.publication.timeZone)}</time>;
}

export function Picture(props: { article: ArticleSummary; sizes: string; isLead?: boolean }) {
  const { article } = props;
  if (!article.image) return null;
  return raw(renderPicture(article.image, { alt: article.imageAlt, mediaBase: '/media', sizes: props.sizes, isLead: props.isLead }));
}

/** A story on a front: kicker, headline, dek, byline; optionally a picture. */
export function StoryCard(props: {
  article: ArticleSummary;
  site: SiteContext;
  level?: 2 | 3;
  variant?: 'lead' | 'plain';
  withPicture?: boolean;
  pictureSizes?: string;
  isEager?: boolean;
  showKicker?: boolean;
}) {
  const { article: a, site } = props;
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <article class={props.variant === 'lead' ? 'story story-lead' : 'story'}>
      {props.withPicture && a.image ? (
        <a href={a.urlPath} tabindex={-1} aria-hidden="true">
          <Picture article={a} sizes={props.pictureSizes ?? '(min-width: 56rem) 40rem, 100vw'} isLead={props.isEager} />
        </a>
      ) : null}
      {props.showKicker !== false ? <a class="kicker" href={`/${a.section.path}`}>{a.section.name}</a> : null}
      <Heading>
        <a href={a.urlPath}>{a.headline}</a>
      </Heading>
      {a.dek ? <p class="dek">{a.dek}</p> : null}
      <p class="meta">
        <Bylines authors={a.authors} isLinked={false} /> · <Time ms={a.publishedAt} site={site} />
      </p>
    </article>
  );
}

/** A list of stories, newest first, with pictures beside them: section fronts, authors, tags. */
export function River(props: { articles: ArticleSummary[]; site: SiteContext; showKicker?: boolean }) {
  return (
    <ol class="river">
      {props.articles.map((a) => (
        <li class={a.image ? 'has-pic' : undefined}>
          {a.image ? (
            <a href={a.urlPath} tabindex={-1} aria-hidden="true">
              <Picture article={a} sizes="(min-width: 40rem) 12rem, 100vw" />
            </a>
          ) : null}
          <StoryCard article={a} site={props.site} showKicker={props.showKicker} />
        </li>
      ))}
    </ol>
  );
}

export function Pager(props: { basePath: string; page: number; pageCount: number; query?: Record<string, string> }) {
  const { page, pageCount } = props;
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(props.query ?? {});
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${props.basePath}?${qs}` : props.basePath;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={href(page - 1)} rel="prev">← Newer</a> : <span />}
      <span class="meta">Page {page} of {pageCount}</span>
      {page < pageCount ? <a href={href(page + 1)} rel="next">Older →</a> : <span />}
    </nav>
  );
}

/** "November 22, 2026 · Updated November 23, 2026, 9:15 AM EST" — the update shown only when a correction changed the story. */
export function Dates(props: { article: ArticleFull; site: SiteContext }) {
  const { article: a, site } = props;
  const isUpdated = a.updatedAt - a.publishedAt > 60_000 && a.corrections.length > 0;
  return (
    <>
      <Time ms={a.publishedAt} site={site} />
      {isUpdated ? <> · Updated <time datetime={new Date(a.updatedAt).toISOString()}>{displayDateTime(a.updatedAt, site.publication.timeZone)}</time></> : null}
    </>
  );
}

/** The lead picture, never lazy, with its caption and the credit set apart. */
export function LeadFigure(props: { article: ArticleFull; className: string; sizes: string }) {
  const { article: a } = props;
  if (!a.image) return null;
  return (
    <figure class={props.className}>
      <Picture article={a} sizes={props.sizes} isLead />
      {a.imageCaption || a.imageCredit ? (
        <figcaption>
          {a.imageCaption} {a.imageCredit ? <span class="credit">{a.imageCredit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

export function Corrections(props: { article: ArticleFull; site: SiteContext }) {
  const { corrections } = props.article;
  if (corrections.length === 0) return null;
  return (
    <section class="corrections" aria-labelledby="corrections-h">
      <h2 id="corrections-h">{corrections.length === 1 ? 'Correction' : 'Corrections'}</h2>
      {corrections.map((c) => (
        <p><strong><Time ms={c.at} site={props.site} />:</strong> {c.text}</p>
      ))}
    </section>
  );
}
