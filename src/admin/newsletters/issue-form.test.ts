import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyOp, MAX_ISSUE_STORIES, parseIssueForm, parseOp } from './issue-form.ts';

const TZ = 'America/New_York';
const NOW = Date.parse('2026-11-20T15:00:00Z'); // 10:00 in New York
const ctx = { timeZone: TZ, now: NOW, currentSendAt: null };
const form = (over: Record<string, unknown> = {}) => ({ subject: ' Friday ', intro: 'Hello *all*', story: ['3', '1', '2'], mode: 'manual', basis: '1000', sendAt: '', q: '', ...over });

describe('issue editor form', () => {
  it('reads the button pressed, and nothing else', () => {
    assert.deepEqual(parseOp('save'), { kind: 'save' });
    assert.deepEqual(parseOp('up:12'), { kind: 'up', id: 12 });
    assert.deepEqual(parseOp('add:7'), { kind: 'add', id: 7 });
    for (const bad of ['', 'up:', 'up:0', 'up:x', 'delete:1', 'up:99999999999', 'save ']) assert.equal(parseOp(bad), null, bad);
  });

  it('moves, removes and adds stories', () => {
    const cases: [string, number[]][] = [
      ['up:1', [1, 3, 2]],
      ['up:3', [3, 1, 2]],
      ['down:1', [3, 2, 1]],
      ['down:2', [3, 1, 2]],
      ['remove:1', [3, 2]],
      ['remove:9', [3, 1, 2]],
      ['add:9', [3, 1, 2, 9]],
      ['add:1', [3, 1, 2]],
      ['save', [3, 1, 2]],
    ];
    for (const [op, want] of cases) assert.deepEqual(applyOp([3, 1, 2], parseOp(op)!), want, op);
  });

  it('gives the new order and the typed text for a move, switching to the editor’s selection', () => {
    const r = parseIssueForm(form({ op: 'up:2', mode: 'auto' }), ctx);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { op: { kind: 'up', id: 2 }, subject: 'Friday', intro: 'Hello *all*', storyIds: [3, 2, 1], sendAt: null, expectUpdatedAt: 1000, q: '' });
    assert.equal(r.values.mode, 'manual');
  });

  it('leaves an automatic selection alone on a plain save, and drops the editor’s order on “automatic”', () => {
    let r = parseIssueForm(form({ op: 'save', mode: 'auto' }), ctx);
    assert.ok(r.ok);
    assert.equal('storyIds' in r.value, false);
    r = parseIssueForm(form({ op: 'auto' }), ctx);
    assert.ok(r.ok);
    assert.equal(r.value.storyIds, null);
    r = parseIssueForm(form({ op: 'save' }), ctx);
    assert.ok(r.ok);
    assert.deepEqual(r.value.storyIds, [3, 1, 2]);
  });

  it('reads the send time in the publication’s zone; refuses past, skipped and garbled times', () => {
    let r = parseIssueForm(form({ sendAt: '2026-11-21T06:00' }), ctx);
    assert.ok(r.ok);
    assert.equal(r.value.sendAt, Date.parse('2026-11-21T11:00:00Z'));
    const bad: [string, RegExp, number][] = [
      ['2026-11-20T09:59', /has passed/, NOW],
      ['2027-03-14T02:30', /does not exist on March 14/, NOW],
      ['tomorrow', /Give a date and time/, NOW],
    ];
    for (const [sendAt, message, now] of bad) {
      r = parseIssueForm(form({ sendAt }), { ...ctx, now });
      assert.ok(!r.ok, sendAt);
      assert.match(r.errors.sendAt, message);
      assert.equal(r.values.sendAt, sendAt);
      assert.equal(r.values.subject, ' Friday ', 'the typed text comes back as typed');
    }
    // A stored time that has passed may be posted back unchanged.
    const stored = Date.parse('2026-11-20T11:00:00Z');
    r = parseIssueForm(form({ sendAt: '2026-11-20T06:00' }), { ...ctx, currentSendAt: stored });
    assert.ok(r.ok);
    assert.equal(r.value.sendAt, stored);
  });

  it('refuses unknown buttons, garbled or repeated stories, too many stories, long text and a missing basis', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ op: 'explode' }, '_form', /does nothing/],
      [{ story: ['1', 'x'] }, 'stories', /garbled/],
      [{ story: ['1', '1'] }, 'stories', /twice/],
      [{ story: Array.from({ length: MAX_ISSUE_STORIES }, (_, i) => String(i + 1)), op: 'add:99' }, 'stories', /at most 15/],
      [{ subject: 's'.repeat(201) }, 'subject', /longer than 200/],
      [{ intro: 'i'.repeat(10_001) }, 'intro', /longer than 10,000/],
      [{ basis: '' }, '_form', /out of date/],
    ];
    for (const [over, field, message] of cases) {
      const r = parseIssueForm(form(over), ctx);
      assert.ok(!r.ok, JSON.stringify(over).slice(0, 60));
      assert.match(r.errors[field] ?? '', message, field);
    }
  });
});
