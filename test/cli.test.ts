// The masthead command as an operator runs it: help, one-line errors, staff users, imports
// and online backups, through real processes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.ts';

const BIN = path.resolve('bin/masthead.js');

function masthead(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, HOME: os.tmpdir(), LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe('masthead CLI without a database', () => {
  it('prints help and exits 0', () => {
    const res = masthead(['--help'], {});
    assert.equal(res.code, 0);
    assert.match(res.out, /articles import PATH/);
    for (const cmd of ['serve', 'migrate', 'demo', 'user', 'articles', 'backup']) {
      const sub = masthead([cmd, '--help'], {});
      assert.equal(sub.code, 0, cmd);
      assert.match(sub.out, new RegExp(`masthead ${cmd}`));
    }
  });

  it('answers an unknown command with one line and a non-zero exit', () => {
    const res = masthead(['frobnicate'], { MASTHEAD_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'mh-')) });
    assert.equal(res.code, 1);
    assert.equal(res.err.trim().split('\n').length, 1);
    assert.match(res.err, /unknown command "frobnicate"/);
  });

  it('validates the environment with one line per bad value', () => {
    const res = masthead(['migrate'], { PORT: 'eighty', DATABASE_URL: 'mysql://x', PUBLIC_URL: 'not a url' });
    assert.equal(res.code, 2);
    const lines = res.err.trim().split('\n');
    assert.equal(lines.length, 3, res.err);
    assert.match(res.err, /PORT/);
    assert.match(res.err, /DATABASE_URL must be a postgres:\/\/ URL/);
    assert.match(res.err, /PUBLIC_URL must be an http\(s\) URL/);
    assert.doesNotMatch(res.err, /at .*\.ts:\d+/);
  });
});

for (const dialect of DIALECTS) {
  describe(`masthead CLI (${dialect})`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    before(async () => {
      db = await createTestDatabase(dialect);
      env = { MASTHEAD_DATA: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    });
    after(() => db.drop());

    it('migrates, and says so when up to date', () => {
      assert.match(masthead(['migrate'], env).out, /Applied \d+ migration\(s\): 001-content, 002-accounts-billing, 003-meter, 004-letters/);
      assert.match(masthead(['migrate'], env).out, /up to date/);
    });

    it('adds staff users with a generated password, and refuses bad input in one line', () => {
      const res = masthead(['user', 'add', '--email', 'Editor@Example.com', '--role', 'editor'], env);
      assert.equal(res.code, 0, res.err);
      assert.match(res.out, /Created editor editor@example\.com/);
      assert.match(res.out, /Password: \S{20,}/);
      const dup = masthead(['user', 'add', '--email', 'editor@example.com', '--role', 'writer', '--password', 'a-long-enough-password'], env);
      assert.equal(dup.code, 1);
      assert.match(dup.err, /already exists/);
      const badRole = masthead(['user', 'add', '--email', 'x@example.com', '--role', 'king'], env);
      assert.equal(badRole.code, 1);
      assert.match(badRole.err, /--role must be admin, editor or writer/);
      const shortPw = masthead(['user', 'add', '--email', 'y@example.com', '--role', 'writer', '--password', 'short'], env);
      assert.match(shortPw.err, /--password must be at least 12 characters/);
      const badFlag = masthead(['user', 'add', '--emial', 'x'], env);
      assert.equal(badFlag.code, 1);
      assert.equal(badFlag.err.trim().split('\n').length, 1);
    });

    it('imports a folder, reporting bad files by path with a non-zero exit', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mh-import-'));
      fs.writeFileSync(path.join(dir, 'a.md'), '---\nheadline: "Harbor opens"\nsection: World/Europe\nauthors: [Jo Reporter]\npublished: "2026-11-01T10:00:00+01:00"\n---\nThe harbor opened.\n');
      fs.writeFileSync(path.join(dir, 'b.md'), '---\nheadline: "Broken"\n---\nBody\n');
      const res = masthead(['articles', 'import', dir], env);
      assert.equal(res.code, 1);
      assert.match(res.out, /added\s+published\s+\/World\/Europe\/2026\/1101\/Harbor-opens/);
      assert.match(res.err, /b\.md: .*section/);
      assert.match(res.err, /Imported 1 of 2/);
      const missing = masthead(['articles', 'import', path.join(dir, 'nope')], env);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /no such file or folder/);
    });

    if (dialect === 'sqlite') {
      it('takes a consistent online backup while another process writes', async () => {
        const dbFile = path.join(db.dataDir, 'masthead.db');
        // A writer in another process, inserting continuously during the backup.
        const writer = spawn(process.execPath, ['-e', `
          const D = require(${JSON.stringify(require_('better-sqlite3'))});
          const db = new D(${JSON.stringify(dbFile)}); db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 5000');
          const ins = db.prepare("insert into settings (key, value) values (?, ?)");
          const end = Date.now() + 4000; let i = 0;
          while (Date.now() < end) { ins.run('k' + (i++), 'x'.repeat(2000)); }
          console.log(i);
        `], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise((r) => setTimeout(r, 300));
        const target = path.join(db.dataDir, 'backups', 'copy.db');
        const res = masthead(['backup', target], env);
        assert.equal(res.code, 0, res.err);
        assert.match(res.out, /Backed up \d+ pages/);
        await new Promise((r) => writer.on('exit', r));
        const copy = new SQLite(target, { readonly: true });
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        assert.ok((copy.prepare('select count(*) as n from articles').get() as { n: number }).n >= 1);
        copy.close();
        const again = masthead(['backup', target], env);
        assert.equal(again.code, 1);
        assert.match(again.err, /already exists/);
      });
    } else {
      it('points PostgreSQL operators to pg_dump', () => {
        const res = masthead(['backup', path.join(db.dataDir, 'x.db')], env);
        assert.equal(res.code, 1);
        assert.match(res.err, /pg_dump/);
      });
    }
  });
}

function require_(name: string): string {
  return path.resolve('node_modules', name);
}
