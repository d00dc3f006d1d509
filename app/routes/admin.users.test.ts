import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { action as userAction, loader as userLoader } from './admin.users.$userId';
import { loader as usersLoader } from './admin.users._index';

const version = async (userId: string) =>
  (await getDb().selectFrom('user').select('updated_at').where('id', '=', userId).executeTakeFirstOrThrow()).updated_at;

async function signedInAdmin() {
  const admin = await makeUser('admin');
  return { admin, cookie: await cookieFor(admin.id) };
}

describe('who may manage users', () => {
  it('sends anonymous visitors to sign in, from the list, a user page and its action', async () => {
    const target = await makeUser('officer');
    for (const [fn, request, params] of [
      [usersLoader, makeRequest('/admin/users?role=admin'), {}],
      [userLoader, makeRequest(`/admin/users/${target.id}`), { userId: target.id }],
      [userAction, makeRequest(`/admin/users/${target.id}`, { method: 'POST', form: { intent: 'deactivate', version: 'x' } }), { userId: target.id }],
    ] as const) {
      const outcome = await run(fn, request, params);
      expect(outcome.status).toBe(302);
      expect(outcome.location).toMatch(/^\/sign-in\?redirectTo=%2Fadmin%2Fusers/);
    }
  });

  it.each<Role>(['officer', 'contractor', 'vcse'])('refuses a %s with 403, and changes nothing', async (role) => {
    const user = await makeUser(role);
    const cookie = await cookieFor(user.id);
    const target = await makeUser('officer');
    expect((await run(usersLoader, makeRequest('/admin/users', { cookie }))).status).toBe(403);
    expect((await run(userLoader, makeRequest(`/admin/users/${target.id}`, { cookie }), { userId: target.id })).status).toBe(403);
    const post = makeRequest(`/admin/users/${target.id}`, { method: 'POST', cookie, form: { intent: 'change-role', role: 'admin', version: await version(target.id) } });
    expect((await run(userAction, post, { userId: target.id })).status).toBe(403);
    expect((await getDb().selectFrom('user').select('role').where('id', '=', target.id).executeTakeFirstOrThrow()).role).toBe('officer');
  });
});

describe('/admin/users', () => {
  it('filters from the URL and pages 25 at a time with counts', async () => {
    const { cookie } = await signedInAdmin();
    const supplier = await makeOrganisation('supplier');
    const tag = `page${Date.now().toString(36)}`;
    for (let i = 0; i < 27; i += 1) await makeUser('contractor', { organisationId: supplier.id, email: `${tag}-${String(i).padStart(2, '0')}@example.org` });

    const first = await run(usersLoader, makeRequest(`/admin/users?q=${tag}&kind=supplier&role=contractor&status=active`, { cookie }));
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ total: 27, page: 1, pageCount: 2, filters: { q: tag, kind: 'supplier', role: 'contractor', status: 'active' } });
    const second = await run(usersLoader, makeRequest(`/admin/users?q=${tag}&page=2`, { cookie }));
    const rows = (second.data as { rows: Array<{ email: string; organisationName: string }> }).rows;
    expect(rows.map((r) => r.email)).toEqual([`${tag}-25@example.org`, `${tag}-26@example.org`]);
    expect(rows[0]!.organisationName).toBe(supplier.name);

    const none = await run(usersLoader, makeRequest(`/admin/users?q=${tag}&kind=council`, { cookie }));
    expect(none.data).toMatchObject({ total: 0, rows: [] });
    // Values that are not offered are ignored, not an error.
    const odd = await run(usersLoader, makeRequest(`/admin/users?q=${tag}&role=superuser&page=-3`, { cookie }));
    expect(odd.data).toMatchObject({ total: 27, page: 1, filters: { role: undefined } });
  });
});

describe('/admin/users/$userId', () => {
  it('shows a user with the roles their organisation allows', async () => {
    const { admin, cookie } = await signedInAdmin();
    const officer = await makeUser('officer', { organisationId: admin.organisationId });
    const contractor = await makeUser('contractor');
    const page = await run(userLoader, makeRequest(`/admin/users/${officer.id}`, { cookie }), { userId: officer.id });
    expect(page.data).toMatchObject({ user: { id: officer.id, email: officer.email, role: 'officer', status: 'active' }, isSelf: false, roleOptions: ['officer', 'admin'] });
    const other = await run(userLoader, makeRequest(`/admin/users/${contractor.id}`, { cookie }), { userId: contractor.id });
    expect(other.data).toMatchObject({ roleOptions: ['contractor'] });
    const self = await run(userLoader, makeRequest(`/admin/users/${admin.id}`, { cookie }), { userId: admin.id });
    expect(self.data).toMatchObject({ isSelf: true });
    expect((await run(userLoader, makeRequest('/admin/users/nobody', { cookie }), { userId: 'nobody' })).status).toBe(404);
  });

  it('changes a role, audits it and redirects with a confirmation', async () => {
    const { admin, cookie } = await signedInAdmin();
    const officer = await makeUser('officer', { organisationId: admin.organisationId });
    const form = { intent: 'change-role', role: 'admin', version: await version(officer.id) };
    const outcome = await run(userAction, makeRequest(`/admin/users/${officer.id}`, { method: 'POST', cookie, form }), { userId: officer.id });
    expect(outcome).toMatchObject({ status: 303, location: `/admin/users/${officer.id}?done=role` });
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', officer.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'user.role_changed', actor_user_id: admin.id, request_id: 'test-request', before_json: '{"role":"officer"}', after_json: '{"role":"admin"}' });
  });

  it('answers bad input with 400 and the message for the error summary, keeping the choice', async () => {
    const { admin, cookie } = await signedInAdmin();
    const officer = await makeUser('officer', { organisationId: admin.organisationId });
    const missing = await run(userAction, makeRequest(`/admin/users/${officer.id}`, { method: 'POST', cookie, form: { intent: 'change-role', version: await version(officer.id) } }), { userId: officer.id });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ status: 'error', error: { role: ['Select a role'] } });

    const misfit = await run(userAction, makeRequest(`/admin/users/${officer.id}`, { method: 'POST', cookie, form: { intent: 'change-role', role: 'vcse', version: await version(officer.id) } }), { userId: officer.id });
    expect(misfit.status).toBe(400);
    expect(misfit.data).toMatchObject({ initialValue: { role: 'vcse' }, error: { role: [expect.stringMatching(/can only be a council officer or an administrator/)] } });

    const tampered = await run(userAction, makeRequest(`/admin/users/${officer.id}`, { method: 'POST', cookie, form: { intent: 'promote' } }), { userId: officer.id });
    expect(tampered.status).toBe(400);
    expect(tampered.data).toMatchObject({ error: { '': ['Reload the page and try again'] } });
  });

  it('deactivates: the user is signed out at once and cannot use the portal; reactivates', async () => {
    const { cookie } = await signedInAdmin();
    const contractor = await makeUser('contractor');
    const contractorCookie = await cookieFor(contractor.id);
    const deactivate = makeRequest(`/admin/users/${contractor.id}`, { method: 'POST', cookie, form: { intent: 'deactivate', version: await version(contractor.id) } });
    expect(await run(userAction, deactivate, { userId: contractor.id })).toMatchObject({ status: 303, location: `/admin/users/${contractor.id}?done=deactivated` });
    expect(await getDb().selectFrom('session').select('id').where('user_id', '=', contractor.id).execute()).toEqual([]);
    // Their old cookie no longer signs them in.
    const theirs = await run(usersLoader, makeRequest('/admin/users', { cookie: contractorCookie }));
    expect(theirs.status).toBe(302);

    const reactivate = makeRequest(`/admin/users/${contractor.id}`, { method: 'POST', cookie, form: { intent: 'reactivate', version: await version(contractor.id) } });
    expect(await run(userAction, reactivate, { userId: contractor.id })).toMatchObject({ status: 303, location: `/admin/users/${contractor.id}?done=reactivated` });
  });

  it('refuses to deactivate yourself (so the last administrator stays), and a stale form with 409', async () => {
    const { admin, cookie } = await signedInAdmin();
    const self = await run(userAction, makeRequest(`/admin/users/${admin.id}`, { method: 'POST', cookie, form: { intent: 'deactivate', version: await version(admin.id) } }), { userId: admin.id });
    expect(self.status).toBe(400);
    expect(self.data).toMatchObject({ error: { '': [expect.stringMatching(/cannot deactivate your own account/)] } });

    const other = await makeUser('admin', { organisationId: admin.organisationId });
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('role', '=', 'admin').where('id', 'not in', [admin.id, other.id]).execute();
    // The other admin demotes the first, and is then the only active administrator.
    const otherCookie = await cookieFor(other.id);
    const stale = await version(admin.id);
    const demote = await run(userAction, makeRequest(`/admin/users/${admin.id}`, { method: 'POST', cookie: otherCookie, form: { intent: 'change-role', role: 'officer', version: stale } }), { userId: admin.id });
    expect(demote.status).toBe(303);
    const lastPage = await run(userLoader, makeRequest(`/admin/users/${other.id}`, { cookie: otherCookie }), { userId: other.id });
    expect(lastPage.data).toMatchObject({ isSelf: true, isLastAdmin: true });
    const last = await run(userAction, makeRequest(`/admin/users/${other.id}`, { method: 'POST', cookie: otherCookie, form: { intent: 'deactivate', version: await version(other.id) } }), { userId: other.id });
    expect(last.status).toBe(400);
    expect((await getDb().selectFrom('user').select('status').where('id', '=', other.id).executeTakeFirstOrThrow()).status).toBe('active');

    const conflict = await run(userAction, makeRequest(`/admin/users/${admin.id}`, { method: 'POST', cookie: otherCookie, form: { intent: 'change-role', role: 'admin', version: stale } }), { userId: admin.id });
    expect(conflict.status).toBe(409);
    expect(conflict.data).toMatchObject({ error: { '': [expect.stringMatching(/Someone else changed this user/)] } });
  });
});
