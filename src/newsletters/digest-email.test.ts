import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prepareIssueEmail } from './digest-email.ts';
import type { IssueContent, IssueStory, RecipientLinks } from './types.ts';

const PUBLIC = 'https://news.example.org';

function story(n: number, over: Partial<IssueStory> = {}): IssueStory {
  return {
    articleId: n,
    headline: `Council approves the riverside housing plan after a long night, story ${n}`,
    dek: `The vote, 7 to 4, ends two years of argument over the old rail yards; opponents say they will take the city to court over the height of the towers. (${n})`,
    url: `${PUBLIC}/City/2026/0512/Council-approves-the-riverside-housing-plan-${n}`,
    access: n % 3 === 0 ? 'subscriber' : n % 3 === 1 ? 'metered' : 'free',
    sectionName: 'City Hall',
    byline: 'By Ann Lee and Tom Ruiz',
    image: { src: `${PUBLIC}/media/0123456789abcdef0123456${n % 10}/800.jpg`, width: 600, height: 400, alt: `The rail yards at dusk (${n})`, credit: 'Kim Ode/Masthead' },
    ...over,
  };
}

function content(over: Partial<IssueContent> = {}): IssueContent {
  return {
    issueId: 41,
    listId: 1,
    listSlug: 'daily',
    listName: 'The Daily',
    issueSlug: '2026-05-12',
    issueDate: '2026-05-12',
    subject: 'The Daily: the rail yards vote',
    intro: 'Good morning. **Seven to four**: the [council](/City) voted after midnight.\n\n- Housing\n- Courts',
    stories: Array.from({ length: 12 }, (_, i) => story(i + 1)),
    publicationName: 'The Riverside Courier',
    publicUrl: PUBLIC,
    timeZone: 'America/New_York',
    archiveUrl: `${PUBLIC}/newsletters/daily/2026-05-12`,
    subscribeUrl: `${PUBLIC}/subscribe`,
    ...over,
  };
}

// Links as long as real ones: a click redirect wrapping a path with an access token.
function links(isEntitled: boolean, sendId = 123456): RecipientLinks {
  return {
    isEntitled,
    storyUrl: (s) => {
      const path = new URL(s.url).pathname + (s.access === 'metered' || (s.access === 'subscriber' && isEntitled) ? `?access=${'t'.repeat(120)}` : '');
      return `${PUBLIC}/newsletters/click?s=${sendId}&u=${encodeURIComponent(path)}&m=${'m'.repeat(27)}`;
    },
    unsubscribeUrl: `${PUBLIC}/newsletters/unsubscribe?t=${'u'.repeat(60)}.${'s'.repeat(27)}`,
  };
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('prepareIssueEmail', () => {
  it('stays under 100 KB with twelve stories, for free and entitled copies', () => {
    const prepared = prepareIssueEmail(content());
    for (const isEntitled of [false, true]) {
      const copy = prepared.personalise(links(isEntitled));
      const bytes = Buffer.byteLength(copy.html, 'utf8');
      assert.ok(bytes < 100 * 1024, `${bytes} bytes`);
      assert.ok(bytes > 5 * 1024, 'the size check measures a real issue');
    }
  });

  it('both parts carry every headline, dek, byline and the recipient’s own links', () => {
    const c = content();
    const l = links(true, 777);
    const copy = prepareIssueEmail(c).personalise(l);
    assert.equal(copy.subject, 'The Daily: the rail yards vote');
    for (const s of c.stories) {
      assert.ok(copy.text.includes(s.headline), s.headline);
      assert.ok(copy.text.includes(s.dek));
      const url = l.storyUrl(s);
      assert.ok(copy.text.includes(url), 'text part has the story link');
      assert.equal(count(copy.html, `href="${url.replaceAll('&', '&amp;')}"`), 2, 'picture and headline link to the story');
    }
    assert.equal(count(copy.text, 'By Ann Lee and Tom Ruiz'), 12);
    for (const part of [copy.html, copy.text.replaceAll('&', '&amp;')]) {
      assert.ok(part.includes(l.unsubscribeUrl.replaceAll('&', '&amp;')), 'unsubscribe link');
      assert.ok(part.includes(c.archiveUrl), 'view in browser');
    }
    assert.match(copy.html, />Unsubscribe<\/a>/);
    assert.match(copy.html, />View in your browser<\/a>/);
    // The intro, rendered from Markdown in the HTML and as text in the text part.
    assert.match(copy.html, /<strong>Seven to four<\/strong>/);
    assert.match(copy.html, /href="https:\/\/news\.example\.org\/City"/);
    assert.match(copy.html, /<li[^>]*>Housing<\/li>/);
    assert.match(copy.text, /Seven to four: the council \(https:\/\/news\.example\.org\/City\) voted/);
    assert.match(copy.text, /- Housing\n- Courts/);
    // Nothing of a story beyond headline and dek.
    assert.ok(!copy.html.includes('<article'));
  });

  it('two recipients differ only in their links', () => {
    const prepared = prepareIssueEmail(content());
    const a = prepared.personalise(links(false, 1));
    const b = prepared.personalise(links(false, 2));
    assert.notEqual(a.html, b.html);
    assert.equal(a.html.replaceAll('s=1&amp;', 's=X&amp;'), b.html.replaceAll('s=2&amp;', 's=X&amp;'));
    assert.equal(a.text.replaceAll('s=1&', 's=X&'), b.text.replaceAll('s=2&', 's=X&'));
  });

  it('every picture has a width, a height and alt text', () => {
    const c = content({ stories: [story(1), story(2, { image: null }), story(3, { image: { src: `${PUBLIC}/media/x/400.jpg`, width: 400, height: 267, alt: '', credit: '' } })] });
    const html = prepareIssueEmail(c).personalise(links(true)).html;
    const imgs = html.match(/<img\b[^>]*>/g) ?? [];
    assert.equal(imgs.length, 2);
    for (const img of imgs) {
      assert.match(img, / width="\d+"/);
      assert.match(img, / height="\d+"/);
      assert.match(img, / alt="[^"]*"/);
      assert.match(img, /src="https:\/\/[^"]+\.jpg"/);
    }
    assert.match(imgs[0], /width="600" height="400" alt="The rail yards at dusk \(1\)"/);
    assert.match(imgs[1], /width="400" height="267" alt=""/);
  });

  it('a free copy marks subscriber-only stories and ends with the offer; an entitled copy does not', () => {
    const c = content({ stories: [story(1, { access: 'metered' }), story(2, { access: 'subscriber', headline: 'Locked story' }), story(3, { access: 'free' })] });
    const prepared = prepareIssueEmail(c);
    const free = prepared.personalise(links(false));
    const entitled = prepared.personalise(links(true));

    assert.equal(count(free.html, 'For subscribers'), 2, 'the story’s label and the offer’s mention');
    assert.match(free.html, /For subscribers<\/span>/);
    assert.match(free.text, /FOR SUBSCRIBERS\nLocked story/);
    assert.ok(free.html.includes(`href="${PUBLIC}/subscribe"`));
    assert.ok(free.text.includes(`Subscribe:\n${PUBLIC}/subscribe`));
    // The free copy's subscriber link carries no access token: it leads to the offer.
    const freeLocked = links(false).storyUrl(c.stories[1]);
    assert.ok(!freeLocked.includes('access'));
    assert.ok(free.text.includes(freeLocked));

    assert.ok(!entitled.html.includes('For subscribers'));
    assert.ok(!entitled.text.includes('FOR SUBSCRIBERS'));
    assert.ok(!entitled.html.includes(`href="${PUBLIC}/subscribe"`));
    assert.ok(!entitled.text.includes('Subscribe:'));
    assert.ok(entitled.text.includes(links(true).storyUrl(c.stories[1])));
  });

  it('escapes headlines, deks, bylines and names, and renders the intro safely', () => {
    const evil = '<script>alert(1)</script>"\' onmouseover="x';
    const c = content({
      publicationName: 'Courier <b>&</b>',
      listName: 'Daily"><img src=x onerror=alert(1)>',
      subject: 'Hello\r\nBcc: victim@example.com',
      intro: [
        'Read [this](javascript:alert(1)) and [that](JAVASCRIPT:alert(2)) and [data](data:text/html,<script>x</script>).',
        '<script>alert(3)</script> <img src=x onerror="alert(4)"> <a href="javascript:alert(5)">raw</a>',
        '[ok](https://example.org/a?b=1&c=2 "t") and [vb](vbscript:msgbox) and [proto](//evil.example)',
      ].join('\n\n'),
      stories: [story(1, { headline: evil, dek: evil, byline: evil, sectionName: evil, image: { src: `${PUBLIC}/media/a/800.jpg`, width: 600, height: 300, alt: evil, credit: evil } })],
    });
    const copy = prepareIssueEmail(c).personalise(links(false));
    const html = copy.html;
    assert.ok(!/<script/i.test(html), 'no script tag');
    assert.ok(!/(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(html), 'no script links');
    assert.equal(count(html, '<a '), count(html, '</a>'));
    assert.ok(!/<img[^>]+onerror/i.test(html), 'no handler attributes');
    assert.ok(!/\sonmouseover="/i.test(html), 'attribute values stay inside their quotes');
    assert.ok(!html.includes('href="//evil.example'), 'no protocol-relative links');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x'));
    assert.ok(html.includes('Courier &lt;b&gt;&amp;&lt;/b&gt;'));
    assert.ok(html.includes('href="https://example.org/a?b=1&amp;c=2"'), 'safe links survive');
    assert.match(html, />this<\/a>|this and/, 'an unsafe link keeps its words');
    assert.ok(html.includes('&lt;script&gt;alert(3)&lt;/script&gt;'), 'raw HTML in the intro is shown as text');
    // The subject is one line, so it cannot add headers.
    assert.equal(copy.subject, 'Hello Bcc: victim@example.com');
    // The text part is plain text: an unsafe link is reduced to its words there too.
    assert.match(copy.text, /Read this and that and data\./);
    assert.ok(!copy.text.includes('(javascript:'));
  });

  it('makes every intro link absolute and styles it for clients that drop <style>', () => {
    const c = content({ intro: 'See [the vote](/city/vote), [below](#notes), `a\nb`, [the desk](mailto:desk@news.example.org) and <https://example.org/x>.' });
    const html = prepareIssueEmail(c).personalise(links(false)).html;
    const at = html.lastIndexOf('>See '); // the first is the preheader's
    const intro = html.slice(at, html.indexOf('</p>', at));
    assert.deepEqual([...intro.matchAll(/href="([^"]*)"/g)].map((m) => m[1]), [
      `${PUBLIC}/city/vote`, `${PUBLIC}/#notes`, 'mailto:desk@news.example.org', 'https://example.org/x',
    ]);
    for (const tag of intro.match(/<a\b[^>]*>/g) ?? []) assert.match(tag, /class="m-link" style="color:#0b4f9c;text-decoration:underline;?"/, tag);
  });

  it('refuses links that are not absolute http(s) URLs', () => {
    const prepared = prepareIssueEmail(content());
    assert.throws(() => prepared.personalise({ ...links(true), storyUrl: () => 'javascript:alert(1)' }));
    assert.throws(() => prepared.personalise({ ...links(true), unsubscribeUrl: '/newsletters/unsubscribe?t=x' }));
    assert.throws(() => prepared.personalise({ ...links(true), storyUrl: () => `${PUBLIC}/a" onclick="x` }));
    assert.throws(() => prepareIssueEmail(content({ archiveUrl: 'javascript:alert(1)' })));
  });

  it('renders an issue without intro or stories', () => {
    const copy = prepareIssueEmail(content({ intro: '', stories: [], subject: '' })).personalise(links(false));
    // The same default as everywhere else (issue-content.ts's defaultSubject).
    assert.equal(copy.subject, 'The Daily — Tuesday, May 12');
    assert.match(copy.html, /no stories in this issue/);
    assert.match(copy.text, /no stories in this issue/);
    assert.match(copy.text, /Unsubscribe:\nhttps:\/\/news\.example\.org\/newsletters\/unsubscribe/);
  });

  it('uses nested tables with inline styles, and a dark-mode stylesheet', () => {
    const html = prepareIssueEmail(content()).personalise(links(true)).html;
    assert.equal(count(html, '<table'), count(html, '</table>'));
    assert.equal(count(html, '<tr'), count(html, '</tr>'));
    assert.match(html, /prefers-color-scheme: dark/);
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    // Every visible text element styles itself: clients that drop <style> keep the design.
    const outsideOutlookComments = html.replace(/<!--\[if mso\]>.*?<!\[endif\]-->/g, '');
    for (const tag of outsideOutlookComments.match(/<(p|h2|h3|td|a)\b[^>]*>/g) ?? []) assert.match(tag, /style="/, tag);
  });
});
