// schema.org JSON-LD for articles (NewsArticle), in one place so every page and test agrees.
import type { ArticleFull } from '../content/queries.ts';
import type { ImageRef } from '../content/blocks.ts';
import type { SiteContext } from './site-context.ts';

export function leadImageUrl(site: SiteContext, image: ImageRef): string {
  const width = image.widths.includes(1200) ? 1200 : image.widths[image.widths.length - 1];
  return site.absolute(`/media/${image.id}/${width}.jpg`);
}

export function articleJsonLd(site: SiteContext, a: ArticleFull): object {
  const url = site.absolute(a.urlPath);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: a.headline,
    description: a.dek,
    image: a.image ? [leadImageUrl(site, a.image)] : undefined,
    datePublished: new Date(a.publishedAt).toISOString(),
    dateModified: new Date(a.updatedAt).toISOString(),
    author: a.authors.map((x) => ({ '@type': 'Person', name: x.name, url: site.absolute(`/author/${x.slug}`) })),
    publisher: { '@type': 'Organization', name: site.publication.name, url: site.absolute('/'), logo: { '@type': 'ImageObject', url: site.absolute('/favicon.svg') } },
    articleSection: a.section.name,
    keywords: a.tags.map((t) => t.name),
    wordCount: a.wordCount,
    dateline: a.dateline || undefined,
    // Metered and subscriber stories say where the paywalled part is (for verified crawlers).
    ...(a.access === 'free'
      ? { isAccessibleForFree: true }
      : { isAccessibleForFree: false, hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywalled' } }),
  };
}
