import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodePath, parseReaderPath } from './request-path.ts';

describe('parseReaderPath', () => {
  const cases: [string, unknown][] = [
    ['/USA/Foreign-Policy/2015/0512/No-breakthrough', { kind: 'article', urlPath: '/USA/Foreign-Policy/2015/0512/No-breakthrough', sectionPath: 'USA/Foreign-Policy', slug: 'No-breakthrough', isPrint: false, isValidDate: true }],
    ['/USA/Foreign-Policy/2015/0512/No-breakthrough/print', { kind: 'article', urlPath: '/USA/Foreign-Policy/2015/0512/No-breakthrough', sectionPath: 'USA/Foreign-Policy', slug: 'No-breakthrough', isPrint: true, isValidDate: true }],
    ['/USA/2016/0229/Leap', { kind: 'article', urlPath: '/USA/2016/0229/Leap', sectionPath: 'USA', slug: 'Leap', isPrint: false, isValidDate: true }],
    ['/USA/2015/0229/Not-leap', { kind: 'article', urlPath: '/USA/2015/0229/Not-leap', sectionPath: 'USA', slug: 'Not-leap', isPrint: false, isValidDate: false }],
    ['/USA/2015/1301/Bad-month', { kind: 'article', urlPath: '/USA/2015/1301/Bad-month', sectionPath: 'USA', slug: 'Bad-month', isPrint: false, isValidDate: false }],
    ['/USA/2015/0512/bad--slug', { kind: 'invalid' }],
    ['/USA/2015/0512/<script>', { kind: 'invalid' }],
    ['/USA', { kind: 'section', sectionPath: 'USA' }],
    ['/USA/Foreign-Policy/', { kind: 'section', sectionPath: 'USA/Foreign-Policy' }],
    ['/USA/feeds/rss.xml', { kind: 'section-feed', sectionPath: 'USA', format: 'rss' }],
    ['/World/Europe/feeds/feed.json', { kind: 'section-feed', sectionPath: 'World/Europe', format: 'json' }],
    ['/../etc/passwd', { kind: 'invalid' }],
    ['/a b', { kind: 'invalid' }],
    ['/' + 'x'.repeat(500), { kind: 'invalid' }],
  ];
  for (const [path, expected] of cases) {
    it(path.slice(0, 60), () => assert.deepEqual(parseReaderPath(path), expected));
  }
});

describe('decodePath', () => {
  it('decodes, and refuses broken escapes and NUL', () => {
    assert.equal(decodePath('/R%C3%ADo'), '/Río');
    assert.equal(decodePath('/%E0%A4%A'), null);
    assert.equal(decodePath('/a%00b'), null);
  });
});
