/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Reader pages: home, section fronts, author and tag listings, errors.
import type { ArticleSummary } from '../../content/queries.ts';
import type { ImageRef } from '../../content/blocks.ts';
import type { SectionRow } from '../../db/schema.ts';
import type { SiteContext } from '../site-context.ts';
import { Layout } from './layout.tsx';
import { Pager, River, StoryCard } from './components.tsx';

export interface HomeData {
  lead: ArticleSummary | null;
  /** Beside the lead: headlines and deks. */
  top: ArticleSummary[];
  /** Under the lead: stories with pictures. */
  second: ArticleSummary[];
  sections: { section: SectionRow; articles: ArticleSummary[] }[];
}

export function HomePage(props: { site: SiteContext; data: HomeData }) {
  const { site, data } = props;
  const pub = site.publication;
  return (
    <Layout
      site={site}
      meta={{
        title: pub.name,
        description: pub.tagline || `The latest from ${pub.name}.`,
        canonical: site.absolute('/'),
        jsonLd: { '@context': 'https://schema.org', '@type': 'WebSite', name: pub.name, url: site.absolute('/'), potentialAction: { '@type': 'SearchAction', target: site.absolute('/search?q={q}'), 'query-input': 'required name=q' } },
      }}
    >
      <h1 class="skip">{pub.name}</h1>
      {data.lead ? (
        <section class="front-lead" aria-label="Top stories">
          <div>
            <StoryCard article={data.lead} site={site} variant="lead" withPicture isEager pictureSizes="(min-width: 72rem) 42rem, (min-width: 56rem) 58vw, 100vw" />
            {data.second.length > 0 ? (
              <ul class="grid grid-2">
                {data.second.map((a) => (
                  <li><StoryCard article={a} site={site} level={3} withPicture pictureSizes="(min-width: 72rem) 20rem, (min-width: 40rem) 45vw, 100vw" /></li>
                ))}
              </ul>
            ) : null}
          </div>
          <ul class="top-list">
            {data.top.map((a) => (
              <li><StoryCard article={a} site={site} level={3} /></li>
            ))}
          </ul>
        </section>
      ) : (
        <p class="page-intro">Nothing has been published yet.</p>
      )}
      {data.sections.map(({ section, articles }) => (
        <section class="section-block" aria-labelledby={`s-${section.id}`}>
          <h2 id={`s-${section.id}`}><a href={`/${section.path}`}>{section.name}</a></h2>
          <ul class="grid">
            {articles.map((a) => (
              <li><StoryCard article={a} site={site} level={3} withPicture showKicker={false} pictureSizes="(min-width: 72rem) 22rem, (min-width: 40rem) 45vw, 100vw" /></li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

export function SectionPage(props: { site: SiteContext; section: SectionRow; children: SectionRow[]; articles: ArticleSummary[]; page: number; pageCount: number }) {
  const { site, section } = props;
  const path = `/${section.path}`;
  const parent = section.parent_id ? site.sections.find((s) => s.id === section.parent_id) : undefined;
  const feeds = [
    { title: `${section.name} - ${site.publication.name} (RSS)`, path: `${path}/feeds/rss.xml` },
    { title: `${section.name} - ${site.publication.name} (Atom)`, path: `${path}/feeds/atom.xml` },
    { title: `${section.name} - ${site.publication.name} (JSON Feed)`, path: `${path}/feeds/feed.json` },
  ];
  return (
    <Layout
      site={site}
      meta={{
        title: props.page > 1 ? `${section.name}, page ${props.page}` : section.name,
        description: section.description || `The latest ${section.name} coverage from ${site.publication.name}.`,
        canonical: site.absolute(props.page > 1 ? `${path}?page=${props.page}` : path),
        feeds,
        currentSection: section.path.split('/')[0],
      }}
    >
      {parent ? <a class="kicker" href={`/${parent.path}`}>{parent.name}</a> : null}
      <h1 class="page-title">{section.name}</h1>
      {section.description ? <p class="page-intro">{section.description}</p> : null}
      {props.children.length > 0 ? (
        <ul class="subsections" aria-label={`${section.name} sections`}>
          {props.children.map((c) => (
            <li><a href={`/${c.path}`}>{c.name}</a></li>
          ))}
        </ul>
      ) : null}
      {props.articles.length ? <River articles={props.articles} site={site} /> : <p>No stories in this section yet.</p>}
      <Pager basePath={path} page={props.page} pageCount={props.pageCount} />
    </Layout>
  );
}

export function ListingPage(props: {
  site: SiteContext;
  title: string;
  kicker: string;
  intro?: string;
  path: string;
  articles: ArticleSummary[];
  page: number;
  pageCount: number;
  jsonLd?: object;
  /** An author's portrait, shown beside their name. */
  photo?: { image: ImageRef; alt: string };
}) {
  const { site } = props;
  return (
    <Layout
      site={site}
      meta={{
        title: props.page > 1 ? `${props.title}, page ${props.page}` : props.title,
        description: props.intro || `Stories: ${props.title}.`,
        canonical: site.absolute(props.page > 1 ? `${props.path}?page=${props.page}` : props.path),
        jsonLd: props.jsonLd,
      }}
    >
      <p class="kicker">{props.kicker}</p>
      <h1 class="page-title">{props.title}</h1>
      {props.photo ? <Portrait image={props.photo.image} alt={props.photo.alt} /> : null}
      {props.intro ? <p class="page-intro">{props.intro}</p> : null}
      {props.articles.length ? <River articles={props.articles} site={site} /> : <p>No stories yet.</p>}
      <Pager basePath={props.path} page={props.page} pageCount={props.pageCount} />
    </Layout>
  );
}

/** A small portrait (at most 160 px wide), sized by its attributes so it needs no style rule. */
function Portrait(props: { image: ImageRef; alt: string }) {
  const { image } = props;
  const widths = [...image.widths].sort((a, b) => a - b);
  if (widths.length === 0 || !(image.width > 0)) return null;
  const width = Math.min(160, image.width);
  const height = Math.max(1, Math.round((image.height * width) / image.width));
  const srcset = (ext: string) => widths.map((w) => `/media/${image.id}/${w}.${ext} ${w}w`).join(', ');
  return (
    <picture>
      <source type="image/webp" srcset={srcset('webp')} sizes={`${width}px`} />
      <img class="author-photo" src={`/media/${image.id}/${widths[0]}.jpg`} srcset={srcset('jpg')} sizes={`${width}px`} width={width} height={height} alt={props.alt} decoding="async" />
    </picture>
  );
}

const ERRORS: Record<number, { title: string; text: string }> = {
  400: { title: 'That request could not be read', text: 'Part of the address or the form was not understood. Check it and try again.' },
  403: { title: 'That request was refused', text: 'The form may have expired or come from another site. Go back, reload the page and try again.' },
  404: { title: 'Page not found', text: 'We could not find that page. It may have moved, or the address may be mistyped.' },
  410: { title: 'This story has been withdrawn', text: 'The article that was here is no longer published.' },
  429: { title: 'Too many requests', text: 'Please wait a little and try again.' },
  413: { title: 'That request is too large', text: 'The address or form sent was longer than we accept.' },
  414: { title: 'That address is too long', text: 'The address sent was longer than we accept.' },
  500: { title: 'Something went wrong', text: 'An error on our side stopped this page. It has been logged; please try again shortly.' },
};

export function ErrorPage(props: { site: SiteContext; status: number; detail?: string }) {
  const e = ERRORS[props.status] ?? ERRORS[400];
  return (
    <Layout site={props.site} meta={{ title: e.title, description: e.text, isNoindex: true }}>
      <div class="error-page">
        <p class="kicker">Error {String(props.status)}</p>
        <h1>{e.title}</h1>
        <p>{props.detail ?? e.text}</p>
        <form class="search-form" action="/search" method="get" role="search" aria-label="Search stories">
          <label class="skip" for="err-q">Search</label>
          <input id="err-q" type="search" name="q" aria-label="Search the site" placeholder="Search stories" />
          <button type="submit">Search</button>
        </form>
        <p><a href="/">Go to the front page</a></p>
      </div>
    </Layout>
  );
}
