/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The print view of an article: a page set for paper, with none of the site's chrome. On
// screen it previews as a sheet; on paper the body runs in two columns and a footer carries QR
// codes back to the article and to the subscription page. Its own stylesheet, since almost
// nothing of the screen theme (dark mode, navigation, tap targets) applies to paper.
import { raw } from 'hono/html';
import type { ArticleFull } from '../../content/queries.ts';
import { renderBlocks } from '../../content/render-html.ts';
import type { SiteContext } from '../site-context.ts';
import { Bylines, Corrections, Dates, LeadFigure } from './components.tsx';
import { dataAccess } from './article.tsx';

// Same faces and URLs as site.css, so a reader coming from the article has them cached.
const PRINT_CSS = `
@font-face{font-family:Newsreader;font-style:normal;font-weight:400;font-display:swap;src:url(/assets/fonts/newsreader-400.woff2) format("woff2")}
@font-face{font-family:Newsreader;font-style:italic;font-weight:400;font-display:swap;src:url(/assets/fonts/newsreader-400-italic.woff2) format("woff2")}
@font-face{font-family:Newsreader;font-style:normal;font-weight:600;font-display:swap;src:url(/assets/fonts/newsreader-600.woff2) format("woff2")}
@font-face{font-family:"Libre Franklin";font-style:normal;font-weight:400;font-display:swap;src:url(/assets/fonts/franklin-400.woff2) format("woff2")}
@font-face{font-family:"Libre Franklin";font-style:normal;font-weight:600;font-display:swap;src:url(/assets/fonts/franklin-600.woff2) format("woff2")}
:root{color-scheme:light;--serif:Newsreader,"Iowan Old Style",Georgia,serif;--sans:"Libre Franklin","Helvetica Neue",Arial,sans-serif;--grey:#3d3d3d}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#e6e4de;color:#000;font:1.0625rem/1.55 var(--serif);text-rendering:optimizeLegibility}
img{display:block;max-width:100%;height:auto}
a{color:inherit;text-underline-offset:.15em}
:focus-visible{outline:3px solid #000;outline-offset:2px}
.hint{max-width:46rem;margin:1.25rem auto 0;padding:0 1rem;font:.875rem/1.5 var(--sans);color:#333;text-align:center}
.hint a{display:inline-block;padding:.6rem .25rem;min-height:44px}
.sheet{max-width:46rem;margin:.5rem auto 3rem;padding:3rem 3.5rem 2.5rem;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.18),0 10px 30px rgba(0,0,0,.08)}
@media (max-width:46rem){.sheet{padding:1.5rem 1.25rem;margin:0}}
.nameplate{text-align:center;padding-bottom:.4rem;border-bottom:1px solid #000}
.nameplate .pub{margin:0;font:600 2.75rem/1 var(--serif);letter-spacing:-.01em}
.nameplate .tagline{margin:.35rem 0 0;font:italic .95rem/1.3 var(--serif);color:var(--grey)}
.folio{display:flex;justify-content:space-between;gap:1rem;margin:0 0 1.75rem;padding:.35rem 0;border-bottom:3px double #000;font:600 .7rem/1.4 var(--sans);letter-spacing:.09em;text-transform:uppercase}
h1{margin:0 0 .6rem;font:600 2.4rem/1.08 var(--serif);letter-spacing:-.015em;text-wrap:balance}
.dek{margin:0 0 .9rem;font:400 1.2rem/1.4 var(--serif);color:var(--grey)}
.meta{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.2rem 1rem;margin:0 0 1.4rem;padding:.45rem 0;border-top:1px solid #000;border-bottom:1px solid #bbb;font:.8rem/1.5 var(--sans);color:var(--grey)}
.byline{font-weight:600;color:#000}
.lead{margin:0 0 1.4rem;break-inside:avoid}
.lead img{margin:0 auto;width:auto;max-height:34rem}
figcaption{margin-top:.45rem;font:.75rem/1.45 var(--sans);color:var(--grey)}
.credit{font-size:.68rem;letter-spacing:.04em;text-transform:uppercase}
.body p{margin:0 0 .75em}
.body h2{margin:1.3em 0 .4em;font:600 1.3rem/1.2 var(--serif);break-after:avoid}
.body h3,.body h4{margin:1.2em 0 .3em;font:600 .95rem/1.3 var(--sans);break-after:avoid}
.body blockquote{margin:1em 0;padding-left:.9em;border-left:2px solid #777}
.body ul,.body ol{margin:0 0 .75em;padding-left:1.25em}
.body li{margin:.2em 0}
.body hr{margin:1.2em 0;border:0;text-align:center}
.body hr::after{content:"\\2022\\2003\\2022\\2003\\2022"}
.body figure{margin:1em 0;break-inside:avoid}
.body figure img{margin:0 auto;width:auto;max-height:24rem}
.body code{font-size:.9em}
.dateline{font:600 .82em var(--sans);letter-spacing:.04em}
.pullquote{margin:1em 0;padding:.6em 0;border-top:2px solid #000;border-bottom:1px solid #000;font:italic 1.3rem/1.3 var(--serif);break-inside:avoid}
.pullquote p{margin:0}
.pullquote .pullquote-by{margin-top:.4em;font:normal .75rem/1.5 var(--sans);color:var(--grey)}
.embed a{display:block;padding:.5em .75em;border:1px solid #999;font:600 .9rem/1.4 var(--sans);text-decoration:none}
.embed-url{display:block;font-weight:400;font-size:.8em;overflow-wrap:anywhere}
.corrections{margin:1.5rem 0 0;padding-top:.6rem;border-top:1px solid #000;font:.8rem/1.5 var(--sans);break-inside:avoid}
.corrections h2{margin:0 0 .3rem;font:600 .7rem/1.4 var(--sans);letter-spacing:.09em;text-transform:uppercase}
.corrections p{margin:.25rem 0}
.qr-foot{display:flex;flex-wrap:wrap;justify-content:space-between;gap:1.25rem 2rem;margin-top:2rem;padding-top:1.1rem;border-top:3px double #000;break-inside:avoid}
.qr{display:flex;align-items:center;gap:1rem;flex:1 1 16rem;min-width:0;margin:0}
.qr svg{flex:none;width:7.5rem;height:7.5rem}
.qr figcaption{margin:0;font:.8rem/1.4 var(--sans);color:var(--grey)}
.qr strong{display:block;margin-bottom:.3rem;font:600 1.05rem/1.25 var(--serif);color:#000}
.qr .url{overflow-wrap:anywhere}
@page{margin:16mm 15mm 18mm;@bottom-right{content:counter(page) " / " counter(pages);font:7.5pt "Libre Franklin",Arial,sans-serif;color:#555}}
@media print{
html,body{background:#fff}
body{font-size:10.5pt;line-height:1.4}
.hint{display:none}
.sheet{max-width:none;margin:0;padding:0;box-shadow:none}
.nameplate .pub{font-size:30pt}
.nameplate .tagline{font-size:9.5pt}
.folio{font-size:7pt;margin-bottom:6mm}
h1{font-size:25pt}
.dek{font-size:13pt}
.meta{font-size:8pt;margin-bottom:5mm}
.lead img{max-height:10cm}
.body{columns:2;column-gap:7mm;column-rule:.5pt solid #aaa;text-align:justify;hyphens:auto}
.body p{orphans:3;widows:3}
.body h2{font-size:13pt}
.body h3,.body h4{font-size:9.5pt}
.body figure img{max-height:7cm}
.pullquote{font-size:13pt;text-align:left}
figcaption{font-size:7.5pt;text-align:left}
a{color:#000;text-decoration:none}
/* Paper cannot be clicked: print where outside links go. */
.body a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;overflow-wrap:anywhere}
.body .embed a::after{content:none}
.corrections{font-size:8pt}
.qr-foot{margin-top:7mm;padding-top:4mm}
.qr svg{width:26mm;height:26mm}
.qr figcaption{font-size:8pt}
.qr strong{font-size:11pt}
}
`.replace(/\n+/g, '\n');

export function PrintPage(props: { site: SiteContext; article: ArticleFull; articleQr: string; subscribeQr: string; access?: string }) {
  const { site, article: a } = props;
  const pub = site.publication;
  const articleUrl = site.absolute(a.urlPath);
  const subscribeUrl = site.absolute('/subscribe');
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${a.headline} - ${pub.name}`}</title>
        <meta name="description" content={a.dek || a.bodyText.slice(0, 200)} />
        <meta name="robots" content="noindex" />
        <link rel="canonical" href={articleUrl} />
        <link rel="preload" href="/assets/fonts/newsreader-400.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <style>{raw(PRINT_CSS)}</style>
      </head>
      <body>
        <main>
          <p class="hint">
            This page is set for printing: use your browser’s Print command. <a href={a.urlPath}>Back to the article</a>
          </p>
          <div class="sheet">
            <header class="nameplate">
              <p class="pub">{pub.name}</p>
              {pub.tagline ? <p class="tagline">{pub.tagline}</p> : null}
            </header>
            <p class="folio">
              <span>{a.section.name}</span>
              <span>{hostOf(site.publicUrl)}</span>
            </p>
            <article class="article" data-access={props.access ?? dataAccess(a)}>
              <header>
                <h1>{a.headline}</h1>
                {a.dek ? <p class="dek">{a.dek}</p> : null}
                <p class="meta">
                  <Bylines authors={a.authors} isLinked={false} />
                  <span>
                    <Dates article={a} site={site} />
                  </span>
                </p>
              </header>
              <LeadFigure article={a} className="lead" sizes="(min-width: 46rem) 40rem, 100vw" />
              <div class="body">{raw(renderBlocks(a.blocks, { mediaBase: '/media', dateline: a.dateline || undefined, imageSizes: '(min-width: 46rem) 40rem, 100vw' }))}</div>
              <Corrections article={a} site={site} />
            </article>
            <footer class="qr-foot">
              <figure class="qr">
                {raw(props.articleQr)}
                <figcaption><strong>Read this article at</strong> <span class="url">{articleUrl}</span></figcaption>
              </figure>
              <figure class="qr">
                {raw(props.subscribeQr)}
                <figcaption><strong>Start your subscription today</strong> <span class="url">{subscribeUrl}</span></figcaption>
              </figure>
            </footer>
          </div>
        </main>
      </body>
    </html>
  );
}

/** "news.example.com": where the copy came from, for the folio. */
function hostOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).host;
  } catch {
    return publicUrl.replace(/^[a-z]+:\/\//i, '');
  }
}
