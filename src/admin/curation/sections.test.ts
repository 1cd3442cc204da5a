import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deletionRefusal, moveAmongSiblings, newSectionSchema, planNewSection, sectionEditSchema, sectionTree, type SectionFact } from './sections.ts';

const s = (id: number, path: string, parentId: number | null, position = 0, name = path.split('/').pop()!): SectionFact => ({ id, path, name, parentId, position });

const SECTIONS = [
  s(1, 'World', null, 1),
  s(2, 'World/Europe', 1, 1),
  s(3, 'World/Africa', 1, 0),
  s(4, 'USA', null, 0),
  s(5, 'World/Europe/Nordics', 2, 0),
  s(6, 'USA/Foreign-Policy', 4, 0),
  s(7, 'A/B/C/D', 6, 0), // depth 3 for the depth test below
];

describe('section tree', () => {
  it('lists each parent before its children, siblings by position, with depths', () => {
    const tree = sectionTree(SECTIONS.slice(0, 6)).map((e) => `${'  '.repeat(e.depth)}${e.section.path}`);
    assert.deepEqual(tree, ['USA', '  USA/Foreign-Policy', 'World', '  World/Africa', '  World/Europe', '    World/Europe/Nordics']);
  });

  it('breaks position ties by name, and keeps orphans and loops at the top level instead of losing them', () => {
    const tied = sectionTree([s(1, 'Zed', null, 0), s(2, 'Alpha', null, 0)]).map((e) => e.section.name);
    assert.deepEqual(tied, ['Alpha', 'Zed']);
    const odd = sectionTree([s(1, 'Loop-A', 2), s(2, 'Loop-B', 1), s(3, 'Orphan', 42), s(4, 'Fine', null)]);
    assert.equal(odd.length, 4);
    assert.ok(odd.every((e) => e.depth <= 1));
  });
});

describe('new sections', () => {
  const plan = (input: object) => planNewSection(newSectionSchema.parse(input), SECTIONS);

  it('takes the parent path, a slash and a slug of the name', () => {
    assert.deepEqual(plan({ name: 'Foreign Policy', parentId: '1' }), { ok: true, path: 'World/Foreign-Policy', parentId: 1, name: 'Foreign Policy', description: '' });
    assert.deepEqual(plan({ name: 'Café Society', description: ' Food ', parentId: '' }), { ok: true, path: 'Cafe-Society', parentId: null, name: 'Café Society', description: 'Food' });
    const custom = plan({ name: 'Северные страны', slug: 'Nordic-Countries', parentId: '2' });
    assert.equal(custom.ok && custom.path, 'World/Europe/Nordic-Countries');
  });

  it('refuses a missing parent, a taken or reserved address, a bad slug, too deep a tree', () => {
    const errors = (input: object) => {
      const r = plan(input);
      return r.ok ? {} : r.errors;
    };
    assert.match(errors({ name: 'X', parentId: '99' }).parentId, /no longer exists/);
    assert.match(errors({ name: 'europe', parentId: '1' }).name, /already a section at \/World\/europe/);
    assert.match(errors({ name: 'Search' }).name, /used by the site itself/);
    assert.match(errors({ name: 'Admin', slug: 'admin' }).slug, /used by the site itself/);
    assert.match(errors({ name: 'Bad', slug: 'no spaces' }).slug, /letters, digits and single dashes/);
    assert.match(errors({ name: '日本' }).name, /needs letters/);
    assert.match(errors({ name: 'Too deep', parentId: '7' }).parentId, /at most 4 levels/);
  });

  it('requires a name and bounds the lengths', () => {
    assert.equal(newSectionSchema.safeParse({ name: '  ' }).success, false);
    assert.equal(newSectionSchema.safeParse({ name: 'x'.repeat(81) }).success, false);
    assert.equal(newSectionSchema.safeParse({ name: 'Ok', parentId: 'abc' }).success, false);
    assert.equal(sectionEditSchema.safeParse({ name: 'Ok', description: 'x'.repeat(401) }).success, false);
    assert.deepEqual(sectionEditSchema.parse({ name: ' Ok ' }), { name: 'Ok', description: '' });
  });
});

describe('moving sections among siblings', () => {
  const siblings = [s(1, 'A', null, 0), s(2, 'B', null, 0), s(3, 'C', null, 5)];
  it('swaps with the neighbour and numbers every sibling anew', () => {
    assert.deepEqual(moveAmongSiblings(siblings, 3, -1), [{ id: 1, position: 0 }, { id: 3, position: 1 }, { id: 2, position: 2 }]);
    assert.deepEqual(moveAmongSiblings(siblings, 1, 1), [{ id: 2, position: 0 }, { id: 1, position: 1 }, { id: 3, position: 2 }]);
  });
  it('stays put at either end or for a stranger', () => {
    assert.equal(moveAmongSiblings(siblings, 1, -1), null);
    assert.equal(moveAmongSiblings(siblings, 3, 1), null);
    assert.equal(moveAmongSiblings(siblings, 9, 1), null);
  });
});

describe('deleting sections', () => {
  it('refuses while stories or sub-sections live in it, saying which', () => {
    assert.equal(deletionRefusal({ stories: 0, children: 0 }), null);
    assert.equal(deletionRefusal({ stories: 1, children: 2 })?.reason, 'has-stories');
    assert.match(deletionRefusal({ stories: 3, children: 0 })!.message, /holds 3 stories \(drafts included\)/);
    assert.match(deletionRefusal({ stories: 0, children: 1 })!.message, /has a sub-section/);
  });
});
