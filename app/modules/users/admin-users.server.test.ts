import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { createSession, validateSessionToken } from '~/auth/session.server';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { likeContains } from '~/utils/sql-like';
import { changeUserRole, deactivateUser, getUserForAdmin, listUsers, reactivateUser } from './admin-users.server';

const db = () => getDb();

async function version(userId: string) {
  return (await db().selectFrom('user').select('updated_at').where('id', '=', userId).executeTakeFirstOrThrow()).updated_at;
}

async function auditFor(userId: string) {
  return db().selectFrom('audit_event').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', userId).orderBy('id').execute();
}

/** Leaves `keep` as the only active administrator in this test file's database. */
async function onlyAdmin(keep: string) {
  await db().updateTable('user').set({ status: 'deactivated' }).where('role', '=', 'admin').where('id', '!=', keep).execute();
}

const actorFor = (user: { id: string; organisationId: string }) => ({ userId: user.id, organisationId: user.organisationId, requestId: 'req-1' });

describe('changeUserRole', () => {
  it('promotes a council officer to administrator and audits before and after', async () => {
    const admin = await makeUser('admin');
    const officer = await makeUser('officer', { organisationId: admin.organisationId });
    const result = await changeUserRole(db(), actorFor(admin), { userId: officer.id, role: 'admin', version: await version(officer.id) });
    expect(result).toEqual({ ok: true, changed: 'role' });
    expect((await getUserForAdmin(db(), officer.id))?.role).toBe('admin');
    const [event] = await auditFor(officer.id);
    expect(event).toMatchObject({
      action: 'user.role_changed', actor_user_id: admin.id, request_id: 'req-1',
      before_json: JSON.stringify({ role: 'officer' }), after_json: JSON.stringify({ role: 'admin' }),
    });
  });

  it('refuses a role that does not fit the organisation kind', async () => {
    const admin = await makeUser('admin');
    const contractor = await makeUser('contractor');
    const vcse = await makeUser('vcse');
    const officer = await makeUser('officer');
    const toOfficer = await changeUserRole(db(), actorFor(admin), { userId: contractor.id, role: 'officer', version: await version(contractor.id) });
    expect(toOfficer).toMatchObject({ ok: false, status: 400, field: 'role' });
    expect(!toOfficer.ok && toOfficer.message).toMatch(/works for a supplier and can only be a contractor/);
    const toAdmin = await changeUserRole(db(), actorFor(admin), { userId: vcse.id, role: 'admin', version: await version(vcse.id) });
    expect(toAdmin).toMatchObject({ ok: false, status: 400 });
    const toContractor = await changeUserRole(db(), actorFor(admin), { userId: officer.id, role: 'contractor', version: await version(officer.id) });
    expect(!toContractor.ok && toContractor.message).toMatch(/can only be a council officer or an administrator/);
    expect(await auditFor(contractor.id)).toEqual([]);
    expect((await getUserForAdmin(db(), officer.id))?.role).toBe('officer');
  });

  it('does not let an administrator demote themselves', async () => {
    const admin = await makeUser('admin');
    await makeUser('admin');
    const result = await changeUserRole(db(), actorFor(admin), { userId: admin.id, role: 'officer', version: await version(admin.id) });
    expect(result).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/your own role/) });
  });

  it('never demotes the last active administrator', async () => {
    const last = await makeUser('admin');
    await onlyAdmin(last.id);
    const result = await changeUserRole(db(), { userId: null, organisationId: null }, { userId: last.id, role: 'officer', version: await version(last.id) });
    expect(result).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/only active administrator/) });
    expect((await getUserForAdmin(db(), last.id))?.role).toBe('admin');
  });

  it('refuses a change made on a stale page (optimistic check)', async () => {
    const admin = await makeUser('admin');
    const officer = await makeUser('officer');
    const stale = await version(officer.id);
    expect(await changeUserRole(db(), actorFor(admin), { userId: officer.id, role: 'admin', version: stale })).toMatchObject({ ok: true });
    const again = await changeUserRole(db(), actorFor(admin), { userId: officer.id, role: 'officer', version: stale });
    expect(again).toMatchObject({ ok: false, status: 409 });
    expect((await getUserForAdmin(db(), officer.id))?.role).toBe('admin');
  });

  it('lets only one of two administrators demoting each other at once succeed', async () => {
    const a = await makeUser('admin');
    const b = await makeUser('admin', { organisationId: a.organisationId });
    await onlyAdmin(a.id);
    await db().updateTable('user').set({ status: 'active' }).where('id', '=', b.id).execute();
    const [va, vb] = [await version(a.id), await version(b.id)];
    const results = await Promise.all([
      changeUserRole(db(), actorFor(a), { userId: b.id, role: 'officer', version: vb }),
      changeUserRole(db(), actorFor(b), { userId: a.id, role: 'officer', version: va }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ status: 400, message: expect.stringMatching(/only active administrator/) });
    const admins = await db().selectFrom('user').select('id').where('role', '=', 'admin').where('status', '=', 'active').execute();
    expect(admins).toHaveLength(1);
  });
});

describe('deactivateUser and reactivateUser', () => {
  it('deactivates, ends every session at once, and audits; reactivation is audited too', async () => {
    const admin = await makeUser('admin');
    const contractor = await makeUser('contractor');
    const tokens = [await createSession(db(), contractor.id), await createSession(db(), contractor.id)];
    const result = await deactivateUser(db(), actorFor(admin), { userId: contractor.id, version: await version(contractor.id) });
    expect(result).toEqual({ ok: true, changed: 'deactivated' });
    for (const token of tokens) expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await db().selectFrom('session').select('id').where('user_id', '=', contractor.id).execute()).toEqual([]);
    expect((await getUserForAdmin(db(), contractor.id))?.status).toBe('deactivated');

    const back = await reactivateUser(db(), actorFor(admin), { userId: contractor.id, version: await version(contractor.id) });
    expect(back).toEqual({ ok: true, changed: 'reactivated' });
    const events = await auditFor(contractor.id);
    expect(events.map((e) => [e.action, e.before_json, e.after_json])).toEqual([
      ['user.deactivated', '{"status":"active"}', '{"status":"deactivated","sessionsEnded":2}'],
      ['user.reactivated', '{"status":"deactivated"}', '{"status":"active"}'],
    ]);
  });

  it('does not let an administrator deactivate themselves', async () => {
    const admin = await makeUser('admin');
    await makeUser('admin');
    const result = await deactivateUser(db(), actorFor(admin), { userId: admin.id, version: await version(admin.id) });
    expect(result).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/your own account/) });
  });

  it('never deactivates the last active administrator', async () => {
    const last = await makeUser('admin');
    await onlyAdmin(last.id);
    const result = await deactivateUser(db(), { userId: null, organisationId: null }, { userId: last.id, version: await version(last.id) });
    expect(result).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/only active administrator/) });
  });

  it('lets only one of two administrators deactivating each other at once succeed', async () => {
    const a = await makeUser('admin');
    const b = await makeUser('admin', { organisationId: a.organisationId });
    await onlyAdmin(a.id);
    await db().updateTable('user').set({ status: 'active' }).where('id', '=', b.id).execute();
    const results = await Promise.all([
      deactivateUser(db(), actorFor(a), { userId: b.id, version: await version(b.id) }),
      deactivateUser(db(), actorFor(b), { userId: a.id, version: await version(a.id) }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const admins = await db().selectFrom('user').select('id').where('role', '=', 'admin').where('status', '=', 'active').execute();
    expect(admins).toHaveLength(1);
  });

  it('answers 404 for an unknown user and 400 for a second deactivation', async () => {
    const admin = await makeUser('admin');
    expect(await deactivateUser(db(), actorFor(admin), { userId: 'nobody', version: 'x' })).toMatchObject({ ok: false, status: 404 });
    const vcse = await makeUser('vcse');
    await deactivateUser(db(), actorFor(admin), { userId: vcse.id, version: await version(vcse.id) });
    expect(await deactivateUser(db(), actorFor(admin), { userId: vcse.id, version: await version(vcse.id) })).toMatchObject({ ok: false, status: 400 });
    expect(await reactivateUser(db(), actorFor(admin), { userId: admin.id, version: await version(admin.id) })).toMatchObject({ ok: false, status: 400 });
  });
});

describe('listUsers', () => {
  it('filters by search, role, status and organisation kind, and pages with counts', async () => {
    const council = await makeOrganisation('council');
    const tag = `zeb${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 30; i += 1) {
      made.push(await makeUser(i % 3 === 0 ? 'admin' : 'officer', { organisationId: council.id, email: `${tag}-${String(i).padStart(2, '0')}@example.org` }));
    }
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', made[1]!.id).execute();

    const all = await listUsers(db(), { q: tag }, 1);
    expect(all).toMatchObject({ total: 30, page: 1, pageCount: 2, pageSize: 25 });
    expect(all.rows).toHaveLength(25);
    const second = await listUsers(db(), { q: tag }, 2);
    expect(second.rows).toHaveLength(5);
    expect(new Set([...all.rows, ...second.rows].map((r) => r.id)).size).toBe(30);
    expect((await listUsers(db(), { q: tag }, 99)).page).toBe(2);

    expect((await listUsers(db(), { q: tag, role: 'admin' }, 1)).total).toBe(10);
    expect((await listUsers(db(), { q: tag, status: 'deactivated' }, 1)).rows.map((r) => r.id)).toEqual([made[1]!.id]);
    expect((await listUsers(db(), { q: tag, kind: 'supplier' }, 1)).total).toBe(0);
    expect((await listUsers(db(), { q: `${tag}-07` }, 1)).rows[0]).toMatchObject({ email: `${tag}-07@example.org`, organisationKind: 'council', organisationName: council.name });
  });

  it('treats LIKE wildcards in the search as plain characters', async () => {
    expect(likeContains('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
    await makeUser('vcse', { email: 'percent-user@example.org' });
    expect((await listUsers(db(), { q: '%' }, 1)).total).toBe(0);
  });
});
