// Generates a large publication for the benchmarks straight into SQLite (one transaction,
// prepared statements): sentences drawn from the demo articles, so search sees real English
// word frequencies. Rows have the same shape the article store writes.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { savePublication } from '../src/content/publication.ts';
import { ensureSection, articleUrlPath } from '../src/content/article-store.ts';
import { parseMarkdown } from '../src/content/markdown.ts';
import { bodyText, countWords, type Block } from '../src/content/blocks.ts';
import { slugify } from '../src/content/slug.ts';
import { progressBar } from '../src/cli/progress.ts';
import { ROOT } from './lib.ts';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoSentences(): string[] {
  const dir = path.join(ROOT, 'demo/articles');
  const sentences: string[] = [];
  for (const group of fs.readdirSync(dir)) {
    for (const file of fs.readdirSync(path.join(dir, group))) {
      if (!file.endsWith('.md')) continue;
      const body = fs.readFileSync(path.join(dir, group, file), 'utf8').split(/^---$/m).slice(2).join('---');
      for (const block of parseMarkdown(body)) {
        if (block.type !== 'paragraph') continue;
        const text = bodyText([block]);
        for (const s of text.split(/(?<=[.!?]["”]?)\s+/)) if (s.length > 40) sentences.push(s);
      }
    }
  }
  return sentences;
}

export async function generatePublication(opts: { dataDir: string; count: number; now: number }): Promise<void> {
  const handle = openDatabase({ databaseUrl: null, dataDir: opts.dataDir });
  await migrate(handle);
  await savePublication(handle.db, { name: 'The Benchmark Gazette', tagline: 'A large archive', timeZone: 'America/New_York' });
  const sections = (parseYaml(fs.readFileSync(path.join(ROOT, 'demo/sections.yaml'), 'utf8')) as { path: string }[]).map((s) => s.path);
  const sectionIds: { id: number; path: string }[] = [];
  for (const p of sections) sectionIds.push({ id: await ensureSection(handle.db, p), path: p });
  const sqlite = handle.sqlite!;
  const random = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const sentences = demoSentences();

  const insertAuthor = sqlite.prepare('insert into authors (slug, name, title, bio, created_at) values (?, ?, ?, ?, ?)');
  const authorIds: number[] = [];
  const first = ['Ana', 'Ben', 'Chloe', 'Dev', 'Emeka', 'Fatima', 'Gus', 'Hana', 'Ivo', 'June'];
  const last = ['Alder', 'Brook', 'Castell', 'Dunmore', 'Evers', 'Farrow', 'Gale'];
  for (const f of first) for (const l of last) authorIds.push(Number(insertAuthor.run(slugify(`${f} ${l}`, { lowercase: true }), `${f} ${l}`, 'Staff writer', '', opts.now).lastInsertRowid));
  const insertTag = sqlite.prepare('insert into tags (slug, name) values (?, ?)');
  const tagIds: number[] = [];
  for (const name of ['Elections', 'Trade', 'Energy', 'Migration', 'Courts', 'Jobs', 'Climate', 'Health', 'Space', 'Books', 'Water', 'Housing']) {
    tagIds.push(Number(insertTag.run(slugify(name, { lowercase: true }), name).lastInsertRowid));
  }

  const insertArticle = sqlite.prepare(`insert into articles (section_id, slug, url_path, headline, dek, body_md, blocks, body_text, dateline, status, access,
    lead_image_id, lead_caption, lead_credit, lead_alt, published_at, updated_at, created_at, word_count)
    values (?, ?, ?, ?, ?, ?, ?, ?, '', 'published', ?, null, '', '', '', ?, ?, ?, ?)`);
  const insertByline = sqlite.prepare('insert into article_authors (article_id, author_id, position) values (?, ?, 0)');
  const insertArticleTag = sqlite.prepare('insert into article_tags (article_id, tag_id) values (?, ?)');
  const insertFts = sqlite.prepare('insert into articles_fts (rowid, headline, dek, body) values (?, ?, ?, ?)');
  const span = 5 * 365 * 86_400_000;
  const bar = progressBar({ total: opts.count, title: 'Generating articles' });
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const section = pick(sectionIds);
      const headlineWords = pick(sentences).split(/\s+/).slice(0, 6 + Math.floor(random() * 6)).join(' ').replace(/[.,;:]+$/, '');
      const headline = `${headlineWords.slice(0, 70).trim()} ${i}`;
      const dek = pick(sentences);
      const paragraphs = Array.from({ length: 4 + Math.floor(random() * 5) }, () => Array.from({ length: 2 }, () => pick(sentences)).join(' '));
      const md = paragraphs.join('\n\n');
      const blocks: Block[] = paragraphs.map((p) => ({ type: 'paragraph', c: [{ t: 'text', v: p }] }));
      const text = paragraphs.join('\n');
      const slug = slugify(headline);
      const publishedAt = opts.now - Math.floor(random() * span);
      const url = articleUrlPath(section.path, publishedAt, slug, 'America/New_York');
      const id = Number(insertArticle.run(section.id, slug, url, headline, dek, md, JSON.stringify(blocks), text, random() < 0.1 ? 'free' : 'metered', publishedAt, publishedAt, publishedAt, countWords(text)).lastInsertRowid);
      insertByline.run(id, pick(authorIds));
      insertArticleTag.run(id, pick(tagIds));
      insertFts.run(id, headline, dek, text);
      bar.tick();
    }
  });
  for (let i = 0; i < opts.count; i += 5000) batch(i, Math.min(opts.count, i + 5000));
  sqlite.exec(`update meta set value = value + 1 where key = 'content_version'`);
  bar.done(`Generated ${opts.count.toLocaleString('en-US')} articles`);
  await handle.close();
}
