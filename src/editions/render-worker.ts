// The Weekly's renderers in a worker thread, so a build does not hold the app's event loop:
// PDFKit lays out synchronously (a 40-story edition holds the thread for a second or more),
// which in the main thread would stall every reader request of the process meanwhile.
// `renderInWorker` starts one worker per build (builds are rare, one at a time, and
// memory-hungry: the worker's memory goes with it) and settles when the worker has ended,
// so nothing writes the temporary file after the build failed. The worker writes the file
// itself and answers with a RenderOutcome.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EditionRenderer, EditionFormat } from './edition-files.ts';
import type { EditionContent } from './types.ts';

interface RenderJob {
  /** Marks the worker data as this module's, should another worker thread import it. */
  kind: 'edition-render';
  content: EditionContent;
  format: EditionFormat;
  file: string;
}

/** What the worker posts back: plain data, so any error crosses the thread. */
type RenderOutcome = { isOk: true } | { isOk: false; name: string; message: string; stack?: string };

/**
 * The worker's first code. A worker does not inherit the TypeScript loader in Node 20 (neither
 * `--import tsx` nor the `register()` of bin/masthead.js), and cannot start from a .ts file
 * without one; so it registers tsx itself, with the project's tsconfig as bin/masthead.js
 * does, and then imports this file. Passed with `execArgv: []` so `--import tsx` is not loaded
 * a second time in the worker.
 */
function workerBootstrap(): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
  const self = import.meta.url;
  return `import(${JSON.stringify(tsxApi)})
  .then(({ register }) => { register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(self)}); });`;
}

/** The default EditionRenderer: renders in a fresh worker thread and resolves once the file is written. */
export const renderInWorker: EditionRenderer = (content, format, file) =>
  new Promise<void>((resolve, reject) => {
    const job: RenderJob = { kind: 'edition-render', content, format, file };
    const worker = new Worker(workerBootstrap(), { eval: true, execArgv: [], workerData: job });
    let outcome: RenderOutcome | undefined;
    let crash: unknown;
    worker.on('message', (m: RenderOutcome) => {
      outcome = m;
    });
    // The worker's code failed outside the render (its loader, an import): it ends next.
    worker.on('error', (err) => {
      crash = err;
    });
    worker.on('exit', (code) => {
      if (outcome?.isOk) return resolve();
      if (outcome) return reject(Object.assign(new Error(outcome.message), { name: outcome.name, stack: outcome.stack ?? outcome.message }));
      reject(crash ?? new Error(`the edition renderer stopped with code ${code} before it finished`));
    });
  });

/** Writes the edition in a format to a file, in this thread (the worker's job). */
async function renderHere({ content, format, file }: RenderJob): Promise<void> {
  if (format === 'pdf') {
    const { writeEditionPdf } = await import('./pdf/render-pdf.ts');
    await writeEditionPdf({ content, file });
  } else {
    const { renderEditionEpub } = await import('./epub/render-epub.ts');
    await writeFile(file, await renderEditionEpub(content));
  }
}

if (!isMainThread && parentPort && (workerData as Partial<RenderJob> | null)?.kind === 'edition-render') {
  const port = parentPort;
  let outcome: RenderOutcome;
  try {
    await renderHere(workerData as RenderJob);
    outcome = { isOk: true };
  } catch (err) {
    outcome = err instanceof Error ? { isOk: false, name: err.name, message: err.message, stack: err.stack } : { isOk: false, name: 'Error', message: String(err) };
  }
  port.postMessage(outcome);
}
