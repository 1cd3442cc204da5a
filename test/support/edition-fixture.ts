// An edition built without a database: N stories with bodies long enough to fill pages,
// pull quotes, lists, inline pictures and lead pictures written as real JPEGs, for the
// renderers' tests and the benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { parseMarkdown } from '../../src/content/markdown.ts';
import type { EditionContent, EditionImage, EditionStory } from '../../src/editions/types.ts';

const SECTIONS = ['World', 'USA', 'Business', 'Science', 'Culture', 'Opinion'];

/** A sentence that appears in story `i` only, so tests can look for every story's text. */
export function storyMarker(i: number): string {
  return `Harbor pilots in port number ${i + 1} counted the ships twice`;
}

function bodyFor(i: number): string {
  const para = (n: number) =>
    `Paragraph ${n} of story ${i + 1}: the council met on Tuesday to weigh the plan, and residents who crowded the hall said they wanted answers about cost, timing and who would pay for the repairs that engineers say cannot wait much longer.`;
  const parts = [
    `${storyMarker(i)}, said the harbor master, who has kept the tally since spring.`,
    para(2),
    para(3),
    '> "We have never seen the water this high in November," said Ana Ruiz, a ferry captain.',
    para(4),
    `> [!pullquote] The water has a memory, and this year it remembered everything.\n> — Ana Ruiz, story ${i + 1}`,
    '## What comes next',
    para(5),
    '- Repairs to the north pier\n- A new tide gauge\n- Longer hours for the ferry',
    para(6),
    para(7),
  ];
  parts.push(para(8), para(9), `The last word of story ${i + 1} belongs to the ferry crew.`);
  return parts.join('\n\n');
}

/**
 * A photo-like JPEG: a gradient and a soft shape under Gaussian noise, at quality 80, so it
 * weighs what a newsroom photo does (~150–300 KB at 1200×800) and costs what one costs to
 * prepare and embed — a smooth gradient compresses to a few KB and flatters the benchmark.
 */
async function writeJpeg(dir: string, i: number, width: number, height: number): Promise<string> {
  const file = path.join(dir, `photo-${i}.jpg`);
  const hue = (i * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,45%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},45%,25%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.25}" fill="hsl(${hue},70%,70%)" opacity="0.6"/></svg>`;
  const noise = await sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 24 } } }).png().toBuffer();
  await sharp(Buffer.from(svg))
    .composite([{ input: noise, blend: 'overlay' }])
    .jpeg({ quality: 80 })
    .toFile(file);
  return file;
}

export interface FixtureOptions {
  stories?: number;
  /** Where the pictures go (a fresh temp folder by default). */
  dir?: string;
  /** Lead pictures on every story but every fifth (default true). */
  withImages?: boolean;
}

export async function editionFixture(opts: FixtureOptions = {}): Promise<{ content: EditionContent; dir: string }> {
  const count = opts.stories ?? 8;
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-edition-'));
  const withImages = opts.withImages ?? true;
  const stories: EditionStory[] = [];
  for (let i = 0; i < count; i++) {
    let image: EditionImage | null = null;
    if (withImages && i % 5 !== 4) {
      const file = await writeJpeg(dir, i, 1200, 800);
      image = { file, width: 1200, height: 800, alt: `Boats in harbor ${i + 1} at dawn`, caption: `Fishing boats wait out the tide in harbor ${i + 1}.`, credit: 'Joshua Roberts/AP' };
    }
    const section = SECTIONS[Math.floor((i * SECTIONS.length) / count)];
    stories.push({
      articleId: 1000 + i,
      headline: `Story ${i + 1}: The harbor town that decided to rebuild its pier`,
      dek: `A dek for story ${i + 1}: residents weigh cost against history as the tides rise.`,
      byline: i % 3 === 0 ? 'By Ann Lee and Tom Ruiz' : 'By Ann Lee',
      dateline: i % 2 === 0 ? 'BERGEN, Norway' : '',
      sectionName: section,
      url: `https://news.example.com/${section}/2026/1118/Story-${i + 1}`,
      publishedAt: Date.parse('2026-11-18T12:00:00Z') - i * 3_600_000,
      blocks: parseMarkdown(bodyFor(i)),
      image,
      inlineImages: {},
    });
    // Every third story also carries a picture inside its body.
    if (withImages && i % 3 === 1) {
      const id = `inline-${i}`;
      const file = await writeJpeg(dir, 100 + i, 1200, 900);
      const at = stories[i].blocks.findIndex((b) => b.type === 'heading');
      stories[i].blocks.splice(at, 0, { type: 'image', image: { id, width: 1200, height: 900, widths: [1200] }, src: `/media/${id}/1200.jpg`, alt: 'A crane on the north pier', caption: 'The crane lifts a new section of pier.', credit: 'Lee Park/Courier' });
      stories[i].inlineImages[id] = file;
    }
  }
  const cover = stories.find((s) => s.image) ?? null;
  const content: EditionContent = {
    editionId: 7,
    number: 47,
    week: '2026-W47',
    title: 'The harbor towns rebuild',
    from: '2026-11-16',
    to: '2026-11-22',
    dateLine: 'November 16–22, 2026',
    publicationName: 'The Test Courier',
    tagline: 'All the news that fits',
    publicUrl: 'https://news.example.com',
    timeZone: 'America/New_York',
    coverStoryId: cover?.articleId ?? null,
    coverImage: cover?.image ?? null,
    coverLines: stories.slice(1, 4).map((s) => s.headline.replace(/^Story \d+: /, '')),
    intro: 'This week we went to the **harbor towns**. Read [our archive](https://news.example.com/editions) for more.',
    stories,
  };
  return { content, dir };
}
