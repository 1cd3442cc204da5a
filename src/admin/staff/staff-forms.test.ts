import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNewStaffForm, parseRoleForm } from './staff-forms.ts';
import { checkStaffChange, isLocked } from './staff-rules.ts';
import { STAFF_ROLES } from '../../accounts/staff.ts';

describe('staff: the forms', () => {
  it('accepts an e-mail (lower-cased), a name and a role', () => {
    assert.deepEqual(parseNewStaffForm({ email: ' Kim@Example.COM ', name: ' Kim Lee ', role: 'editor' }), {
      ok: true,
      value: { email: 'kim@example.com', name: 'Kim Lee', role: 'editor' },
      values: { email: ' Kim@Example.COM ', name: ' Kim Lee ', role: 'editor' },
    });
    assert.deepEqual(parseNewStaffForm({ email: 'a@b.co', role: 'writer' }), { ok: true, value: { email: 'a@b.co', name: '', role: 'writer' }, values: { email: 'a@b.co', name: '', role: 'writer' } });
  });

  it('puts a message next to each bad field and keeps what was typed', () => {
    const r = parseNewStaffForm({ email: 'not an address', name: 'x'.repeat(121), role: 'owner' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(Object.keys(r.errors).sort(), ['email', 'name', 'role']);
    assert.match(r.errors.email!, /e-mail address/);
    assert.equal(r.errors.role, 'Choose admin, editor or writer.');
    assert.equal(r.values.email, 'not an address');
    for (const email of ['', 'a@', '@b.com', 'a b@c.com']) assert.equal(parseNewStaffForm({ email, role: 'writer' }).ok, false, email);
  });

  it('takes only the roles there are', () => {
    for (const role of STAFF_ROLES) assert.deepEqual(parseRoleForm({ role }), { ok: true, value: role, values: { role } });
    for (const role of ['', 'Admin', 'root', undefined]) assert.equal(parseRoleForm({ role }).ok, false, String(role));
  });
});

describe('staff: the last admin', () => {
  it('cannot be demoted or removed, whoever asks', () => {
    assert.deepEqual(checkStaffChange({ role: 'admin' }, { kind: 'role', role: 'editor' }, { adminCount: 1 }), { allowed: false, reason: 'last-admin' });
    assert.deepEqual(checkStaffChange({ role: 'admin' }, { kind: 'remove' }, { adminCount: 1 }), { allowed: false, reason: 'last-admin' });
  });

  it('can be once there is another admin; other roles change freely', () => {
    assert.deepEqual(checkStaffChange({ role: 'admin' }, { kind: 'role', role: 'writer' }, { adminCount: 2 }), { allowed: true });
    assert.deepEqual(checkStaffChange({ role: 'admin' }, { kind: 'role', role: 'admin' }, { adminCount: 1 }), { allowed: true });
    assert.deepEqual(checkStaffChange({ role: 'editor' }, { kind: 'remove' }, { adminCount: 1 }), { allowed: true });
    assert.deepEqual(checkStaffChange({ role: 'writer' }, { kind: 'role', role: 'admin' }, { adminCount: 1 }), { allowed: true });
  });

  it('knows a lock-out from its end time', () => {
    assert.equal(isLocked({ locked_until: null }, 10), false);
    assert.equal(isLocked({ locked_until: 10 }, 10), false);
    assert.equal(isLocked({ locked_until: 11 }, 10), true);
  });
});
