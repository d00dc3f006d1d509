import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { DAY } from '~/utils/time';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as detail from './officer.organisations.$organisationId';
import * as list from './officer.organisations._index';

// /officer/organisations and /officer/organisations/$organisationId.
type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };

const staff = async (role: 'officer' | 'admin' = 'officer') => cookieFor((await makeUser(role)).id);

async function pending(name?: string) {
  const org = await makeOrganisation('vcse', 'pending', name);
  const user = await makeUser('vcse', { organisationId: org.id });
  return { ...org, user };
}

async function snapshot(organisationId: string) {
  const org = await getDb().selectFrom('organisation').selectAll().where('id', '=', organisationId).executeTakeFirstOrThrow();
  const audit = await getDb().selectFrom('audit_event').select('id').where('subject_id', '=', organisationId).execute();
  const mail = await getDb().selectFrom('notification').select('id').where('kind', '=', 'organisation_decided').execute();
  return { org, audit: audit.length, mail: mail.length };
}

const decide = (organisationId: string, form: Record<string, string>, cookie?: string) =>
  run(detail.action, makeRequest(`/officer/organisations/${organisationId}`, { method: 'POST', form, cookie }), { organisationId });

describe('/officer/organisations', () => {
  it('lists pending VCSE organisations oldest first by default, with counts for each tab', async () => {
    const cookie = await staff();
    const old = await pending('Oldest pending group');
    await getDb().updateTable('organisation').set({ created_at: new Date(Date.now() - 90 * DAY).toISOString() }).where('id', '=', old.id).execute();
    await pending('Newer pending group');
    const outcome = await run(list.loader, makeRequest('/officer/organisations', { cookie }));
    const data = outcome.data as { status: string; counts: Record<string, number>; organisations: Array<{ name: string }> };
    expect(data.status).toBe('pending');
    expect(data.organisations[0]?.name).toBe('Oldest pending group');
    expect(data.counts.pending).toBeGreaterThanOrEqual(2);
  });

  it('filters by status and ignores an unknown one', async () => {
    const cookie = await staff('admin');
    const verified = await makeOrganisation('vcse', 'verified', 'A verified group');
    const outcome = await run(list.loader, makeRequest('/officer/organisations?status=verified', { cookie }));
    expect((outcome.data as { organisations: Array<{ id: string }> }).organisations.map((o) => o.id)).toContain(verified.id);
    const odd = await run(list.loader, makeRequest('/officer/organisations?status=%3Cscript%3E', { cookie }));
    expect(odd.data).toMatchObject({ status: 'pending' });
  });

  it('is for staff only', async () => {
    expect((await run(list.loader, makeRequest('/officer/organisations'))).location).toBe('/sign-in?redirectTo=%2Fofficer%2Forganisations');
    for (const role of ['vcse', 'contractor'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(list.loader, makeRequest('/officer/organisations', { cookie }))).status).toBe(403);
    }
  });
});

describe('/officer/organisations/$organisationId', () => {
  it('shows a VCSE organisation with its users; 404 for a supplier or an unknown id', async () => {
    const cookie = await staff();
    const org = await pending();
    const outcome = await run(detail.loader, makeRequest(`/officer/organisations/${org.id}`, { cookie }), { organisationId: org.id });
    expect(outcome.data).toMatchObject({ organisation: { name: org.name, status: 'pending' }, users: [{ email: org.user.email }] });
    const supplier = await makeOrganisation('supplier');
    expect((await run(detail.loader, makeRequest(`/officer/organisations/${supplier.id}`, { cookie }), { organisationId: supplier.id })).status).toBe(404);
    expect((await run(detail.loader, makeRequest('/officer/organisations/nope', { cookie }), { organisationId: 'nope' })).status).toBe(404);
  });

  it('verifies, then answers 409 to a second decision and changes nothing', async () => {
    const cookie = await staff();
    const org = await pending();
    const first = await decide(org.id, { decision: 'verify' }, cookie);
    expect(first).toMatchObject({ status: 303, location: `/officer/organisations?decided=${org.id}` });
    const banner = await run(list.loader, makeRequest(first.location!, { cookie }));
    expect(banner.data).toMatchObject({ decided: { name: org.name, status: 'verified' } });

    const before = await snapshot(org.id);
    const second = await decide(org.id, { decision: 'reject', reason: 'Changed my mind' }, await staff('admin'));
    expect(second.status).toBe(409);
    expect(await snapshot(org.id)).toEqual(before);
  });

  it('rejects with a reason the organisation can read', async () => {
    const cookie = await staff();
    const org = await pending();
    const reason = '<b>Not</b> a VCSE: it is a private company.';
    expect((await decide(org.id, { decision: 'reject', reason }, cookie)).status).toBe(303);
    const row = await getDb().selectFrom('organisation').select(['status', 'decision_reason']).where('id', '=', org.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'rejected', decision_reason: reason });
  });

  it.each([
    [{}, { decision: ['Select whether to verify or reject the organisation'] }],
    [{ decision: 'approve' }, { decision: ['Select whether to verify or reject the organisation'] }],
    [{ decision: 'reject' }, { reason: ['Enter the reason for rejecting the organisation'] }],
    [{ decision: 'reject', reason: 'x'.repeat(1001) }, { reason: ['Reason must be 1000 characters or fewer'] }],
  ])('answers 400 for %j and decides nothing', async (form, errors) => {
    const cookie = await staff();
    const org = await pending();
    const before = await snapshot(org.id);
    const outcome = await decide(org.id, form as Record<string, string>, cookie);
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error).toMatchObject(errors);
    expect(await snapshot(org.id)).toEqual(before);
  });

  it('keeps script typed as the reason as text', async () => {
    const cookie = await staff();
    const org = await pending();
    const typed = '<script>alert(1)</script>';
    const outcome = await decide(org.id, { decision: 'maybe', reason: typed }, cookie);
    expect((outcome.data as Reply).initialValue?.reason).toBe(typed);
  });

  it('refuses VCSE users deciding, even on their own organisation', async () => {
    const org = await pending();
    const before = await snapshot(org.id);
    const outcome = await decide(org.id, { decision: 'verify' }, await cookieFor(org.user.id));
    expect(outcome.status).toBe(403);
    expect(await snapshot(org.id)).toEqual(before);
    expect((await decide(org.id, { decision: 'verify' })).status).toBe(302);
  });
});
