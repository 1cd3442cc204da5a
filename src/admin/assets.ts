// The newsroom's own script and style sheet. The scripts in client/ are small progressive
// enhancements (every form works without them), bundled by esbuild when the app starts and
// served from memory under a content hash, so they can be cached for a year. Being files of
// our own origin, they pass a Content-Security-Policy that allows no inline script.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface AdminAsset {
  path: string;
  body: Buffer;
  contentType: string;
}

export interface AdminAssets {
  script: AdminAsset;
  style: AdminAsset;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

let built: Promise<AdminAssets> | null = null;

/** Bundles once per process: the output depends only on the files in client/. */
export function adminAssets(): Promise<AdminAssets> {
  built ??= bundle().catch((err) => {
    built = null;
    throw err;
  });
  return built;
}

async function bundle(): Promise<AdminAssets> {
  const result = await build({
    entryPoints: [here('./client/main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = Buffer.from(result.outputFiles[0].contents);
  const css = fs.readFileSync(here('./admin.css'));
  return {
    script: { path: `/admin/assets/admin.${hash(js)}.js`, body: js, contentType: 'text/javascript; charset=utf-8' },
    style: { path: `/admin/assets/admin.${hash(css)}.css`, body: css, contentType: 'text/css; charset=utf-8' },
  };
}

function hash(b: Buffer): string {
  return crypto.createHash('sha256').update(b).digest('hex').slice(0, 12);
}
