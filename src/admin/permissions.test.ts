import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { can, canEditStory, GRANTS, type Permission } from './permissions.ts';
import type { StaffRole } from '../db/schema.ts';

const ALL = [...GRANTS.admin] as Permission[];

describe('newsroom permissions', () => {
  it('grants each role exactly its table, each role a superset of the one below', () => {
    const table: Record<StaffRole, Permission[]> = {
      writer: ['stories:write'],
      editor: ['stories:write', 'stories:edit-any', 'stories:publish', 'front:curate', 'authors:manage', 'newsletters:send', 'editions:publish'],
      admin: ALL,
    };
    for (const role of ['writer', 'editor', 'admin'] as const) {
      for (const p of ALL) assert.equal(can({ role }, p), table[role].includes(p), `${role} ${p}`);
    }
    assert.equal(can(null, 'stories:write'), false);
  });

  it('lets a writer edit only their own drafts; editors and admins anything', () => {
    const writer = { id: 7, role: 'writer' as const };
    const cases: [Parameters<typeof canEditStory>[0], Parameters<typeof canEditStory>[1], string][] = [
      [writer, { createdBy: 7, status: 'draft' }, 'allowed'],
      [writer, { createdBy: 8, status: 'draft' }, 'not-yours'],
      [writer, { createdBy: null, status: 'draft' }, 'not-yours'],
      [writer, { createdBy: 7, status: 'published' }, 'not-a-draft'],
      [writer, { createdBy: 7, status: 'scheduled' }, 'not-a-draft'],
      [{ id: 1, role: 'editor' }, { createdBy: 7, status: 'published' }, 'allowed'],
      [{ id: 1, role: 'admin' }, { createdBy: null, status: 'scheduled' }, 'allowed'],
      [null, { createdBy: 7, status: 'draft' }, 'not-staff'],
    ];
    for (const [staff, story, want] of cases) {
      const got = canEditStory(staff, story);
      assert.equal(got.allowed ? 'allowed' : got.reason, want, JSON.stringify([staff, story]));
    }
  });
});
