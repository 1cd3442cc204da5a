// `npm run bench`: every benchmark, each printing its figures beside a baseline measured in
// the same run. BENCH_ONLY=page|archive|metered|daily|edition runs one; BENCH_ARTICLES sets the archive
// size, BENCH_RECIPIENTS the Daily's, BENCH_STORIES the Weekly's.
import { benchArticlePage } from './article-page.ts';
import { benchArchive } from './archive.ts';
import { benchMeteredPage } from './metered-page.ts';
import { benchDaily } from './daily.ts';
import { benchEdition } from './edition.ts';

const only = process.env.BENCH_ONLY;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
if (!only || only === 'page') await benchArticlePage({ seconds, connections: 50 });
if (!only || only === 'archive') await benchArchive({ count: Number(process.env.BENCH_ARTICLES ?? 100_000), queries: 200 });
if (!only || only === 'metered') await benchMeteredPage({ seconds, connections: 50 });
if (!only || only === 'daily') await benchDaily({ recipients: Number(process.env.BENCH_RECIPIENTS ?? 100_000), concurrency: 10 });
if (!only || only === 'edition') await benchEdition({ stories: Number(process.env.BENCH_STORIES ?? 40) });
