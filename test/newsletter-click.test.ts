// The click-counting redirect of newsletter links, through the real app, on both databases:
// only signed links to paths on this site are followed; each click is an event with the
// story and the send; the gate token in the link still opens the story afterwards.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, PUBLIC_URL, type TestApp } from './support/app.ts';
import { clickUrl } from '../src/newsletters/links.ts';
import { newsletterToken } from '../src/paywall/gate-links.ts';

for (const dialect of DIALECTS) {
  describe(`newsletter clicks (${dialect})`, () => {
    let t: TestApp;
    let story: { id: number; urlPath: string };
    let other: { id: number; urlPath: string };

    before(async () => {
      t = await startTestApp(dialect);
      const a = await t.article({ headline: 'Harbor pilots strike', access: 'subscriber' });
      story = { id: a.id, urlPath: a.urlPath! };
      const b = await t.article({ headline: 'Ferry timetable changes', access: 'metered' });
      other = { id: b.id, urlPath: b.urlPath! };
    });
    after(() => t.close());

    const link = (path: string, sendId: number) => clickUrl({ path, sendId }, { publicUrl: PUBLIC_URL, secret: t.app.secret }).slice(PUBLIC_URL.length);
    const clicks = async () => {
      await t.app.events.flush();
      return t.app.database.db.selectFrom('events').select(['article_id', 'detail']).where('kind', '=', 'newsletter-click').orderBy('id').execute();
    };

    it('counts a click with the story read from the gate token, then redirects to the path, token and all', async () => {
      const token = newsletterToken({ recipientKey: 's:41', articleId: story.id, now: t.clock.now, secret: t.app.secret });
      const target = `${story.urlPath}?access=${token}`;
      const res = await t.get(link(target, 41));
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), target);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await clicks(), [{ article_id: story.id, detail: '{"send":41}' }]);
      // The link leads to the whole story for the recipient, though it is for subscribers.
      const page = await (await t.get(target)).text();
      assert.match(page, /data-access="(open|subscriber)"/);
      assert.doesNotMatch(page, /data-access="locked"/);
    });

    it('finds the story by its path when the link carries no token', async () => {
      const res = await t.get(link(other.urlPath, 42));
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), other.urlPath);
      const all = await clicks();
      assert.deepEqual(all[all.length - 1], { article_id: other.id, detail: '{"send":42}' });
      // A page that is not a story still redirects, counted without one.
      assert.equal((await t.get(link('/newsletters/daily', 43))).status, 302);
      const last = (await clicks()).at(-1)!;
      assert.deepEqual(last, { article_id: null, detail: '{"send":43}' });
    });

    it('refuses altered links and anything that would leave the site, counting nothing', async () => {
      const before = (await clicks()).length;
      const good = new URL(link(other.urlPath, 44), PUBLIC_URL);
      const altered = [
        `/newsletters/click?s=45&u=${encodeURIComponent(other.urlPath)}&m=${good.searchParams.get('m')}`,
        `/newsletters/click?s=44&u=${encodeURIComponent(story.urlPath)}&m=${good.searchParams.get('m')}`,
        `/newsletters/click?s=44&u=${encodeURIComponent(other.urlPath)}`,
        '/newsletters/click',
        '/newsletters/click?s=abc&u=%2F&m=x',
      ];
      for (const path of altered) assert.equal((await t.get(path)).status, 400, path);
      // Even a correctly signed link may only lead to a path on this site.
      for (const away of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: x=1']) {
        const res = await t.get(link(away, 46));
        assert.equal(res.status, 400, away);
        assert.equal(res.headers.get('location'), null);
      }
      assert.equal((await clicks()).length, before);
    });
  });
}
