import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadConfig, ConfigError } from './config.ts';

describe('loadConfig', () => {
  it('takes the mail sender from MAIL_FROM, validated, else news@ the public host', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://news.example.com' }).mailFrom, 'news@news.example.com');
    assert.equal(loadConfig({}).mailFrom, 'news@127.0.0.1');
    assert.equal(loadConfig({ MAIL_FROM: ' daily@paper.example ' }).mailFrom, 'daily@paper.example');
    assert.throws(() => loadConfig({ MAIL_FROM: 'not an address' }), (err: unknown) => err instanceof ConfigError && /^MAIL_FROM must be an e-mail address/.test(err.problems[0]));
  });

  it('has the contract defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.publicUrl, 'http://127.0.0.1:3000');
    assert.equal(c.publicUrlFromEnv, false);
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.equal(c.databaseUrl, null);
    assert.equal(c.isDemo, true);
  });

  it('reads every variable', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', PUBLIC_URL: 'https://news.example.com/', MASTHEAD_DATA: '/srv/m', DATABASE_URL: 'postgres://u:p@db/m', MASTHEAD_DEMO: '0', TRUST_PROXY: '10.0.0.1' });
    assert.equal(c.port, 8080);
    assert.equal(c.publicUrl, 'https://news.example.com');
    assert.equal(c.publicUrlFromEnv, true);
    assert.equal(c.dataDir, '/srv/m');
    assert.equal(c.databaseUrl, 'postgres://u:p@db/m');
    assert.equal(c.isDemo, false);
    assert.equal(c.trustProxy, '10.0.0.1');
  });

  it('reports every bad value on its own line, without echoing secrets', () => {
    try {
      loadConfig({ PORT: '99999', PUBLIC_URL: 'ftp://x', MASTHEAD_SECRET: 'short', STRIPE_SECRET_KEY: 'pk_live_abcdefghijklmnop', MASTHEAD_DEMO: 'maybe' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 5, err.problems.join('\n'));
      assert.ok(err.problems.some((p) => p.startsWith('PORT ')));
      assert.ok(err.problems.every((p) => !p.includes('pk_live_abcdefghijklmnop')));
    }
  });
});
