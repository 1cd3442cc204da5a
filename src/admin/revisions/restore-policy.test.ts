import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffRole } from '../../db/schema.ts';
import { canRestore, canSeeHistory, restoreScope } from './restore-policy.ts';

describe('who may see a history and restore a revision', () => {
  const me = 7;
  const cases: [StaffRole, number | null, 'draft' | 'scheduled' | 'published', string, string][] = [
    // role, story started by, status, history, restore
    ['writer', me, 'draft', 'allowed', 'allowed'],
    ['writer', me, 'scheduled', 'not-a-draft', 'not-a-draft'],
    ['writer', me, 'published', 'not-a-draft', 'not-a-draft'],
    ['writer', 99, 'draft', 'not-yours', 'not-yours'],
    ['writer', null, 'published', 'not-yours', 'not-yours'],
    ['editor', 99, 'draft', 'allowed', 'allowed'],
    ['editor', null, 'published', 'allowed', 'allowed'],
    ['editor', me, 'scheduled', 'allowed', 'allowed'],
    ['admin', null, 'published', 'allowed', 'allowed'],
  ];
  const reason = (d: { allowed: true } | { allowed: false; reason: string }) => (d.allowed ? 'allowed' : d.reason);
  for (const [role, createdBy, status, history, restore] of cases) {
    it(`${role}, story by ${createdBy}, ${status}: history ${history}, restore ${restore}`, () => {
      const staff = { id: me, role };
      assert.equal(reason(canSeeHistory(staff, { createdBy, status })), history);
      assert.equal(reason(canRestore(staff, { createdBy, status })), restore);
    });
  }
  it('refuses someone who is not staff', () => {
    assert.equal(reason(canRestore(null, { createdBy: null, status: 'draft' })), 'not-staff');
  });
});

describe('what a restore puts back', () => {
  it('writers restore the words only; editors and admins also the access class and slug', () => {
    assert.deepEqual(restoreScope({ id: 1, role: 'writer' }), { canRestoreAccess: false, canRestoreSlug: false });
    assert.deepEqual(restoreScope({ id: 1, role: 'editor' }), { canRestoreAccess: true, canRestoreSlug: true });
    assert.deepEqual(restoreScope({ id: 1, role: 'admin' }), { canRestoreAccess: true, canRestoreSlug: true });
    assert.deepEqual(restoreScope(null), { canRestoreAccess: false, canRestoreSlug: false });
  });
});
