// The Weekly: a 40-story edition with pictures built as PDF and as EPUB, each format in its own
// process so its peak memory is its own. Prints seconds and peak RSS per format beside the
// process's RSS before the build (Node, tsx and the renderer loaded: the baseline) and the share
// of the 10-second budget. BENCH_STORIES sets the story count.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, fmt } from './lib.ts';

const CHILD_FLAG = '--edition-child';
const BUDGET_SECONDS = 10;

type Format = 'pdf' | 'epub';

interface ChildResult {
  seconds: number;
  peakRssMb: number;
  baseRssMb: number;
  bytes: number;
}

/** In the child: load the renderer, then time one build of the frozen content. */
async function runChild(format: Format, contentFile: string, outFile: string): Promise<void> {
  const content = JSON.parse(fs.readFileSync(contentFile, 'utf8'));
  const render =
    format === 'pdf'
      ? (await import('../src/editions/pdf/render-pdf.ts')).renderEditionPdf
      : (await import('../src/editions/epub/render-epub.ts')).renderEditionEpub;
  const baseRssMb = process.memoryUsage().rss / 1e6;
  const started = performance.now();
  const bytes = await render(content);
  const seconds = (performance.now() - started) / 1000;
  fs.writeFileSync(outFile, bytes);
  const result: ChildResult = { seconds, peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6, baseRssMb, bytes: bytes.length };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function benchEdition(opts: { stories: number }): Promise<void> {
  const { editionFixture } = await import('../test/support/edition-fixture.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-edition-'));
  try {
    const { content } = await editionFixture({ stories: opts.stories, dir });
    const pictures = new Set([content.coverImage?.file, ...content.stories.flatMap((s) => [s.image?.file, ...Object.values(s.inlineImages)])].filter(Boolean)).size;
    const contentFile = path.join(dir, 'content.json');
    fs.writeFileSync(contentFile, JSON.stringify(content));
    console.log(`\nedition: ${opts.stories} stories, ${pictures} pictures, each format built in a fresh process`);
    for (const format of ['pdf', 'epub'] as const) {
      const out = path.join(dir, `edition.${format}`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/edition.ts'), CHILD_FLAG, format, contentFile, out], { cwd: ROOT, encoding: 'utf8' });
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{')) {
        console.log(`  ${format.padEnd(5)} failed: ${(child.stderr || child.stdout).trim().split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const r = JSON.parse(line) as ChildResult;
      const extra = format === 'pdf' ? pdfPages(out) : '';
      console.log(
        `  ${format.padEnd(5)} ${r.seconds.toFixed(2)} s   peak RSS ${fmt(r.peakRssMb)} MB (baseline before the build ${fmt(r.baseRssMb)} MB)   ${(r.bytes / 1e6).toFixed(1)} MB${extra}   ${(r.seconds / BUDGET_SECONDS).toFixed(2)} of the ${BUDGET_SECONDS} s budget`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function pdfPages(file: string): string {
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = /^Pages:\s+(\d+)/m.exec(info.stdout ?? '')?.[1];
  return pages ? `, ${pages} pages` : '';
}

if (process.argv[2] === CHILD_FLAG) {
  await runChild(process.argv[3] as Format, process.argv[4], process.argv[5]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchEdition({ stories: Number(process.env.BENCH_STORIES ?? 40) });
}
