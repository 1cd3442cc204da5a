/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { SearchResult } from '../../content/search.ts';
import type { SiteContext } from '../site-context.ts';
import { Layout } from './layout.tsx';
import { Bylines, Pager, Time } from './components.tsx';

export function SearchPage(props: { site: SiteContext; q: string; page: number; pageSize: number; result: SearchResult | null }) {
  const { site, q, result } = props;
  const title = q ? `Search: ${q}` : 'Search';
  return (
    <Layout site={site} meta={{ title, description: `Search ${site.publication.name}.`, isNoindex: true }}>
      <h1 class="page-title">Search</h1>
      <form class="search-form" action="/search" method="get" role="search" aria-label="Search stories">
        <label class="skip" for="q">Search terms</label>
        <input id="q" type="search" name="q" value={q} maxlength={200} aria-label="Search terms" />
        <button type="submit">Search</button>
      </form>
      {result === null ? (
        <p class="page-intro">Search every story we have published.</p>
      ) : result.total === 0 ? (
        <p class="page-intro">No stories match <strong>{q}</strong>. Try fewer or different words.</p>
      ) : (
        <>
          <p class="meta" role="status">{result.total === 1 ? '1 story' : `${result.total.toLocaleString('en-US')} stories`} match <strong>{q}</strong>{result.order === 'newest' ? ', newest first' : ', most relevant first'}</p>
          <ol class="river">
            {result.hits.map((h) => (
              <li>
                <article class="story">
                  <a class="kicker" href={`/${h.article.section.path}`}>{h.article.section.name}</a>
                  <h2><a href={h.article.urlPath}>{h.article.headline}</a></h2>
                  {h.article.dek ? <p class="dek">{h.article.dek}</p> : null}
                  <p class="snippet">{raw(h.snippetHtml)}</p>
                  <p class="meta"><Bylines authors={h.article.authors} isLinked={false} /> · <Time ms={h.article.publishedAt} site={site} /></p>
                </article>
              </li>
            ))}
          </ol>
          <Pager basePath="/search" page={props.page} pageCount={Math.min(50, Math.ceil(result.total / props.pageSize))} query={{ q }} />
        </>
      )}
    </Layout>
  );
}
