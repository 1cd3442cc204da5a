/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// A list's archive on the site: the index of issues sent, one issue as a page, and the offer
// shown instead when a list is for subscribers (or members) only. Story links are plain
// article URLs, so the site's meter and paywall apply as to any other visit.
import { raw } from 'hono/html';
import type { SiteContext } from '../site-context.ts';
import type { Viewer } from '../viewer.ts';
import type { IssueContent, IssueStory, NewsletterList } from '../../newsletters/types.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { renderBlocks } from '../../content/render-html.ts';
import { issueDateLabel } from '../../newsletters/digest-email.ts';
import { sitePath } from '../site-path.ts';
import { Layout } from './layout.tsx';
import { Csrf } from './forms.tsx';
import { Pager } from './components.tsx';

export interface ArchiveEntry {
  slug: string;
  issueDate: string;
  subject: string;
  /** The first story's headline, as a taste of the issue. */
  leadHeadline: string;
  storyCount: number;
}

export function archivePath(list: Pick<NewsletterList, 'slug'>, issueSlug?: string): string {
  const base = `/newsletters/${encodeURIComponent(list.slug)}`;
  return issueSlug === undefined ? base : `${base}/${encodeURIComponent(issueSlug)}`;
}

/** Sign-up for lists anyone may join; the subscribe offer for those that come with a subscription. */
function ListOffer(props: { list: NewsletterList; viewer: Viewer | null }) {
  const { list, viewer } = props;
  if (list.isOpenToSignups && list.isActive && viewer) {
    return (
      <form class="form" method="post" action="/newsletters/signup" data-newsletter-signup>
        <Csrf viewer={viewer} />
        <input type="hidden" name="list" value={String(list.id)} />
        <label>Get {list.name} by e-mail<input type="email" name="email" required autocomplete="email" maxlength={254} value={viewer.reader?.email ?? ''} /></label>
        <button class="btn" type="submit">Sign up</button>
        <p class="hint">We will send a link to confirm the address first. Every issue has a one-click unsubscribe link.</p>
      </form>
    );
  }
  if (list.entitlement && list.isActive) {
    return <p class="actions"><a class="btn" href="/subscribe">Subscribe to receive {list.name}</a></p>;
  }
  return null;
}

export function ArchiveIndexPage(props: {
  site: SiteContext;
  viewer: Viewer | null;
  list: NewsletterList;
  entries: ArchiveEntry[];
  page: number;
  pageCount: number;
  isPublic: boolean;
}) {
  const { site, list, entries } = props;
  const path = archivePath(list);
  return (
    <Layout
      site={site}
      meta={{
        title: props.page > 1 ? `${list.name}: past issues, page ${props.page}` : `${list.name}: past issues`,
        description: list.description || `Past issues of ${list.name} from ${site.publication.name}.`,
        canonical: props.isPublic ? site.absolute(props.page > 1 ? `${path}?page=${props.page}` : path) : undefined,
        isNoindex: !props.isPublic,
      }}
    >
      <div class="narrow" data-newsletter-archive={list.slug}>
        <p class="kicker"><a class="kicker" href="/newsletters">Newsletters</a></p>
        <h1 class="page-title">{list.name}</h1>
        {list.description ? <p class="page-intro">{list.description}</p> : null}
        <ListOffer list={list} viewer={props.viewer} />
        <h2>Past issues</h2>
        {entries.length === 0 ? <p>No issues have been sent yet.</p> : (
          <ol class="river" data-issues>
            {entries.map((e) => (
              <li>
                <article class="story">
                  <p class="kicker"><time datetime={e.issueDate}>{issueDateLabel(e.issueDate)}</time></p>
                  <h3><a href={archivePath(list, e.slug)}>{e.subject}</a></h3>
                  {e.leadHeadline ? <p class="dek">{e.leadHeadline}{e.storyCount > 1 ? ` and ${e.storyCount - 1} more ${e.storyCount - 1 === 1 ? 'story' : 'stories'}` : ''}</p> : null}
                </article>
              </li>
            ))}
          </ol>
        )}
        <Pager basePath={path} page={props.page} pageCount={props.pageCount} />
      </div>
    </Layout>
  );
}

function IssueStoryItem(props: { story: IssueStory; isLead: boolean }) {
  const { story: s } = props;
  const href = sitePath(s.url);
  const Heading = props.isLead ? 'h2' : 'h3';
  return (
    <li class={s.image ? 'has-pic' : undefined} data-article-id={String(s.articleId)}>
      {s.image ? (
        <a href={href} tabindex={-1} aria-hidden="true">
          <img src={sitePath(s.image.src)} width={s.image.width} height={s.image.height} alt={s.image.alt} loading={props.isLead ? 'eager' : 'lazy'} decoding="async" />
        </a>
      ) : null}
      <article class="story" data-access={s.access}>
        <p class="kicker">{s.sectionName}{s.access === 'subscriber' ? <> · <span data-subscriber-only>For subscribers</span></> : null}</p>
        <Heading><a href={href}>{s.headline}</a></Heading>
        {s.dek ? <p class="dek">{s.dek}</p> : null}
        {s.byline ? <p class="meta"><span class="byline">{s.byline}</span></p> : null}
      </article>
    </li>
  );
}

export function IssuePage(props: { site: SiteContext; viewer: Viewer | null; list: NewsletterList; content: IssueContent; isPublic: boolean }) {
  const { site, list, content: c } = props;
  const path = archivePath(list, c.issueSlug);
  const introHtml = c.intro.trim() ? renderBlocks(parseMarkdown(c.intro), { mediaBase: '/media' }) : '';
  const lead = c.stories[0];
  return (
    <Layout
      site={site}
      meta={{
        title: c.subject,
        description: lead ? `${lead.headline}${lead.dek ? ` — ${lead.dek}` : ''}` : `${list.name}, ${issueDateLabel(c.issueDate)}.`,
        canonical: props.isPublic ? site.absolute(path) : undefined,
        isNoindex: !props.isPublic,
      }}
    >
      <div class="narrow" data-newsletter-issue={c.issueSlug}>
        <p class="kicker"><a class="kicker" href={archivePath(list)}>{list.name}</a> · <time datetime={c.issueDate}>{issueDateLabel(c.issueDate)}</time></p>
        <h1 class="page-title">{c.subject}</h1>
        {introHtml ? <div class="body" data-issue-intro>{raw(introHtml)}</div> : null}
        {c.stories.length === 0 ? <p>This issue has no stories.</p> : (
          <ol class="river" data-issue-stories>
            {c.stories.map((s, i) => <IssueStoryItem story={s} isLead={i === 0} />)}
          </ol>
        )}
        <h2>Get {list.name}</h2>
        <ListOffer list={list} viewer={props.viewer} />
        <p><a href={archivePath(list)}>All past issues of {list.name}</a></p>
      </div>
    </Layout>
  );
}

/** Instead of a closed list's issues: what it is, and how to get it. */
export function ArchiveOfferPage(props: { site: SiteContext; list: NewsletterList; returnTo: string; isSignedIn: boolean }) {
  const { site, list } = props;
  return (
    <Layout site={site} meta={{ title: list.name, description: list.description || list.name, isNoindex: true }}>
      <div class="narrow">
        <p class="kicker"><a class="kicker" href="/newsletters">Newsletters</a></p>
        <h1 class="page-title">{list.name}</h1>
        {list.description ? <p class="page-intro">{list.description}</p> : null}
        <section class="paywall-offer" aria-labelledby="offer-h" data-archive-offer>
          {list.entitlement ? (
            <>
              <h2 id="offer-h">{list.name} is for subscribers</h2>
              <p>Subscribers receive it by e-mail and can read its past issues here.</p>
              <p class="actions">
                <a class="btn" href="/subscribe">See subscription offers</a>{' '}
                {props.isSignedIn ? null : <a class="btn btn-quiet" href={`/login?return=${encodeURIComponent(props.returnTo)}`}>Sign in</a>}
              </p>
            </>
          ) : (
            <>
              <h2 id="offer-h">{list.name} is for its members</h2>
              <p>Its past issues are open to the people who receive it. Sign in with the address it comes to.</p>
              {props.isSignedIn ? null : <p class="actions"><a class="btn" href={`/login?return=${encodeURIComponent(props.returnTo)}`}>Sign in</a></p>}
            </>
          )}
        </section>
        <p><a href="/newsletters">See the newsletters anyone can sign up to</a></p>
      </div>
    </Layout>
  );
}
