/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The Weekly on the site: the archive of published editions with their covers, one edition's
// page (cover, title, the editor's introduction, contents by section), and the offer shown to
// readers who do not hold `weekly` — on the edition's page, and instead of a download.
// Contents link to the stories' ordinary article URLs, where the meter and paywall apply.
import { raw } from 'hono/html';
import type { ImageRef } from '../../content/blocks.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { renderBlocks, renderPicture } from '../../content/render-html.ts';
import type { SiteContext } from '../site-context.ts';
import { Layout } from './layout.tsx';
import { Pager } from './components.tsx';

export interface EditionCover {
  image: ImageRef;
  alt: string;
}

export interface EditionEntry {
  week: string;
  number: number;
  title: string;
  /** "November 16–22, 2026". */
  dateLine: string;
  cover: EditionCover | null;
}

export interface EditionSection {
  name: string;
  stories: { articleId: number; headline: string; dek: string; byline: string; path: string }[];
}

export interface EditionPageData extends EditionEntry {
  intro: string;
  coverLines: string[];
  sections: EditionSection[];
  storyCount: number;
}

/** Whether the viewer may download the files, and if not, what to offer them. */
export type EditionAccess = { canDownload: true } | { canDownload: false; isSignedIn: boolean; offerHeadline: string | null };

export function editionPath(week: string, file?: 'pdf' | 'epub'): string {
  const base = `/editions/${encodeURIComponent(week)}`;
  return file ? `${base}/edition.${file}` : base;
}

function Cover(props: { entry: EditionEntry; publicationName: string; sizes: string; isLead?: boolean }) {
  const { entry } = props;
  return (
    <div class="edition-cover" data-edition-cover>
      <p class="edition-cover-name">{props.publicationName} <span>Weekly</span></p>
      <p class="edition-cover-number">No. {String(entry.number)} · {entry.dateLine}</p>
      {entry.cover ? raw(renderPicture(entry.cover.image, { alt: entry.cover.alt, mediaBase: '/media', sizes: props.sizes, isLead: props.isLead })) : null}
    </div>
  );
}

export function EditionsArchivePage(props: { site: SiteContext; entries: EditionEntry[]; page: number; pageCount: number }) {
  const { site } = props;
  const name = `${site.publication.name} Weekly`;
  return (
    <Layout
      site={site}
      meta={{
        title: props.page > 1 ? `The Weekly: past editions, page ${props.page}` : 'The Weekly',
        description: `Every edition of ${name}: the week’s most important stories as a magazine, in PDF and EPUB.`,
        canonical: site.absolute(props.page > 1 ? `/editions?page=${props.page}` : '/editions'),
      }}
    >
      <div data-editions-archive>
        <h1 class="page-title">The Weekly</h1>
        <p class="page-intro">The week’s most important stories, edited into a magazine every Monday: a PDF to read or print, and an e-book for your reader. Subscribers download every edition.</p>
        {props.entries.length === 0 ? <p>No editions have been published yet.</p> : (
          <ol class="edition-grid" data-editions>
            {props.entries.map((e, i) => (
              <li data-edition-week={e.week}>
                <a class="edition-card" href={editionPath(e.week)}>
                  <Cover entry={e} publicationName={site.publication.name} sizes="(min-width: 56rem) 16rem, (min-width: 30rem) 45vw, 100vw" isLead={i === 0 && props.page === 1} />
                  <span class="edition-card-title">{e.title || `No. ${e.number}`}</span>
                </a>
              </li>
            ))}
          </ol>
        )}
        <Pager basePath="/editions" page={props.page} pageCount={props.pageCount} />
      </div>
    </Layout>
  );
}

function Offer(props: { access: Extract<EditionAccess, { canDownload: false }>; returnTo: string; headingId: string; isRefusal?: boolean }) {
  const { access } = props;
  return (
    <section class="paywall-offer" aria-labelledby={props.headingId} data-edition-offer>
      <h2 id={props.headingId}>{props.isRefusal ? 'This edition is for subscribers' : 'Read the Weekly as a magazine'}</h2>
      <p>Subscribers whose plan includes the Weekly download every edition as a PDF and an EPUB.</p>
      <p class="actions">
        <a class="btn" href="/subscribe" data-offer-link>{access.offerHeadline ?? 'See subscription offers'}</a>{' '}
        {access.isSignedIn ? null : <a class="btn btn-quiet" href={`/login?return=${encodeURIComponent(props.returnTo)}`}>Sign in</a>}
      </p>
    </section>
  );
}

function Downloads(props: { week: string }) {
  return (
    <p class="actions edition-downloads" data-edition-downloads>
      <a class="btn" href={editionPath(props.week, 'pdf')} download>Download PDF</a>
      <a class="btn btn-quiet" href={editionPath(props.week, 'epub')} download>Download EPUB</a>
    </p>
  );
}

export function EditionPage(props: { site: SiteContext; edition: EditionPageData; access: EditionAccess }) {
  const { site, edition: e, access } = props;
  const path = editionPath(e.week);
  const introHtml = e.intro.trim() ? renderBlocks(parseMarkdown(e.intro), { mediaBase: '/media' }) : '';
  const title = e.title || `No. ${e.number}`;
  return (
    <Layout
      site={site}
      meta={{
        title: `The Weekly No. ${e.number}: ${title}`,
        description: `${site.publication.name} Weekly No. ${e.number}, ${e.dateLine}: ${e.storyCount} ${e.storyCount === 1 ? 'story' : 'stories'}.`,
        canonical: site.absolute(path),
        social: e.cover ? { type: 'website', image: { url: site.absolute(`/media/${e.cover.image.id}/${Math.max(...e.cover.image.widths)}.jpg`), width: e.cover.image.width, height: e.cover.image.height, alt: e.cover.alt } } : undefined,
      }}
    >
      <div class="edition" data-edition={e.week} data-edition-access={access.canDownload ? 'download' : 'offer'}>
        <div class="edition-head">
          <Cover entry={e} publicationName={site.publication.name} sizes="(min-width: 56rem) 20rem, 100vw" isLead />
          <div>
            <p class="kicker"><a class="kicker" href="/editions">The Weekly</a> · No. {String(e.number)}</p>
            <h1 class="page-title">{title}</h1>
            <p class="meta">{e.dateLine} · {String(e.storyCount)} {e.storyCount === 1 ? 'story' : 'stories'}</p>
            {e.coverLines.length ? <ul class="edition-cover-lines">{e.coverLines.map((l) => <li>{l}</li>)}</ul> : null}
            {access.canDownload ? <Downloads week={e.week} /> : <Offer access={access} returnTo={path} headingId="edition-offer-h" />}
          </div>
        </div>
        {introHtml ? <div class="body edition-intro" data-edition-intro>{raw(introHtml)}</div> : null}
        <h2>In this edition</h2>
        <div class="edition-contents" data-edition-contents>
          {e.sections.map((s) => (
            <section aria-label={s.name}>
              <h3 class="kicker">{s.name}</h3>
              <ol class="river">
                {s.stories.map((story) => (
                  <li data-article-id={String(story.articleId)}>
                    <article class="story">
                      <h4><a href={story.path}>{story.headline}</a></h4>
                      {story.dek ? <p class="dek">{story.dek}</p> : null}
                      {story.byline ? <p class="meta"><span class="byline">{story.byline}</span></p> : null}
                    </article>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
        <p><a href="/editions">All editions of the Weekly</a></p>
      </div>
    </Layout>
  );
}

/** Instead of a file the viewer may not download (403): what the edition is, and how to get it. */
export function EditionRefusalPage(props: { site: SiteContext; edition: EditionEntry; access: Extract<EditionAccess, { canDownload: false }> }) {
  const { site, edition: e } = props;
  return (
    <Layout site={site} meta={{ title: `The Weekly No. ${e.number}`, description: `The Weekly No. ${e.number} is for subscribers.`, isNoindex: true }}>
      <div class="narrow" data-edition-refusal>
        <p class="kicker"><a class="kicker" href="/editions">The Weekly</a> · No. {String(e.number)}</p>
        <h1 class="page-title">{e.title || `No. ${e.number}`}</h1>
        <p class="meta">{e.dateLine}</p>
        <Offer access={props.access} returnTo={editionPath(e.week)} headingId="edition-refusal-h" isRefusal />
        <p><a href={editionPath(e.week)}>See what is in this edition</a></p>
      </div>
    </Layout>
  );
}
