import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as list from './officer.invitations._index';
import * as create from './officer.invitations.new';

// /officer/invitations and /officer/invitations/new.
type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };
let seq = 0;
const address = () => `route-invitee-${Date.now()}-${seq++}@example.org`;

async function staffCookie(role: 'officer' | 'admin' = 'officer') {
  const user = await makeUser(role);
  return { user, cookie: await cookieFor(user.id) };
}

async function counts() {
  const n = async (table: 'invitation' | 'organisation' | 'audit_event' | 'notification') =>
    Number((await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { invitation: await n('invitation'), organisation: await n('organisation'), audit: await n('audit_event'), notification: await n('notification') };
}

const post = (form: Record<string, string>, cookie: string) => run(create.action, makeRequest('/officer/invitations/new', { method: 'POST', form, cookie }));

describe('/officer/invitations/new', () => {
  it('sends anonymous visitors to sign in and refuses VCSE and contractor users', async () => {
    const anonymous = await run(create.loader, makeRequest('/officer/invitations/new'));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe('/sign-in?redirectTo=%2Fofficer%2Finvitations%2Fnew');
    const supplier = await makeOrganisation('supplier');
    for (const role of ['vcse', 'contractor'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(create.loader, makeRequest('/officer/invitations/new', { cookie }))).status).toBe(403);
      const before = await counts();
      expect((await post({ email: address(), name: 'X', organisationId: supplier.id }, cookie)).status).toBe(403);
      expect(await counts()).toEqual(before);
    }
  });

  it('offers verified suppliers only', async () => {
    const { cookie } = await staffCookie();
    const verified = await makeOrganisation('supplier', 'verified');
    const vcse = await makeOrganisation('vcse', 'verified');
    const outcome = await run(create.loader, makeRequest('/officer/invitations/new', { cookie }));
    const options = (outcome.data as { suppliers: Array<{ value: string }> }).suppliers.map((s) => s.value);
    expect(options).toContain(verified.id);
    expect(options).not.toContain(vcse.id);
  });

  it('invites, then redirects to the list, which says the invitation was sent', async () => {
    const { cookie } = await staffCookie('admin');
    const supplier = await makeOrganisation('supplier');
    const email = address();
    const outcome = await post({ email: email.toUpperCase(), name: 'Nia Jones', organisationId: supplier.id }, cookie);
    expect(outcome.status).toBe(303);
    expect(outcome.location).toMatch(/^\/officer\/invitations\?sent=[0-9a-f-]{36}$/);
    const row = await getDb().selectFrom('invitation').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(supplier.id);

    const page = await run(list.loader, makeRequest(outcome.location!, { cookie }));
    expect(page.data).toMatchObject({ sentTo: email, canReadOutbox: true });
    expect((page.data as { invitations: Array<{ email: string; status: string }> }).invitations[0]).toMatchObject({ email, status: 'open' });
  });

  it.each([
    [{}, { email: ['Enter the email address of the person you are inviting'], name: ['Enter the name of the person you are inviting'], organisationId: ['Select their organisation, or choose a new organisation'] }],
    [{ email: 'not-an-email', name: 'x'.repeat(101), organisationId: 'new' }, { email: ['Enter an email address in the correct format, like name@example.org'], name: ['Their name must be 100 characters or fewer'] }],
    [{ email: 'a@example.org', name: 'A', organisationId: 'new' }, { organisationName: ['Enter the name of the new organisation'] }],
    [{ email: 'a@example.org', name: 'A', organisationId: 'new', organisationName: 'Acme Ltd', companyNumber: '1234' }, { companyNumber: ['Enter a company number in the correct format: 8 characters, like 09876543 or SC123456'] }],
  ])('answers 400 with the messages by the fields for %j, writing nothing', async (form, errors) => {
    const { cookie } = await staffCookie();
    const before = await counts();
    const outcome = await post(form as Record<string, string>, cookie);
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error).toMatchObject(errors);
    expect(await counts()).toEqual(before);
  });

  it('keeps script typed into a field as text and writes nothing', async () => {
    const { cookie } = await staffCookie();
    const typed = '<script>alert("x")</script>';
    const before = await counts();
    const outcome = await post({ email: 'bad', name: typed, organisationId: 'new', organisationName: typed }, cookie);
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).initialValue).toMatchObject({ name: typed, organisationName: typed });
    expect(await counts()).toEqual(before);
  });

  it('puts a duplicate supplier name, and an email with an account, next to their fields', async () => {
    const { cookie } = await staffCookie();
    const supplier = await makeOrganisation('supplier', 'verified', `Greenway Route ${seq++} Ltd`);
    const before = await counts();
    const duplicate = await post({ email: address(), name: 'A', organisationId: 'new', organisationName: supplier.name.toLowerCase() }, cookie);
    expect(duplicate.status).toBe(400);
    expect((duplicate.data as Reply).error?.organisationName?.[0]).toMatch(/already in the list of organisations\. Select it from the list/);

    const existing = await makeUser('contractor');
    const taken = await post({ email: existing.email, name: 'A', organisationId: supplier.id }, cookie);
    expect(taken.status).toBe(400);
    expect((taken.data as Reply).error?.email?.[0]).toMatch(/already has an account/);
    expect((await counts()).invitation).toBe(before.invitation);
  });
});

describe('/officer/invitations', () => {
  it('sends anonymous visitors to sign in; refuses VCSE and contractor users', async () => {
    expect((await run(list.loader, makeRequest('/officer/invitations'))).location).toBe('/sign-in?redirectTo=%2Fofficer%2Finvitations');
    const cookie = await cookieFor((await makeUser('contractor')).id);
    expect((await run(list.loader, makeRequest('/officer/invitations', { cookie }))).status).toBe(403);
    expect((await run(list.action, makeRequest('/officer/invitations?index', { method: 'POST', cookie, form: { intent: 'revoke', invitationId: 'x' } }))).status).toBe(403);
  });

  it('revokes an open invitation (303 with a banner), then answers 409 for a second revoke', async () => {
    const { cookie } = await staffCookie();
    const supplier = await makeOrganisation('supplier');
    const email = address();
    await post({ email, name: 'Sam', organisationId: supplier.id }, cookie);
    const invitation = await getDb().selectFrom('invitation').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const form = { intent: 'revoke', invitationId: invitation.id };
    const first = await run(list.action, makeRequest('/officer/invitations?index', { method: 'POST', cookie, form }));
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/officer/invitations?revoked=${invitation.id}`);
    expect((await run(list.loader, makeRequest(first.location!, { cookie }))).data).toMatchObject({ revokedFor: email });
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', invitation.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.created', 'invitation.revoked']);

    expect((await run(list.action, makeRequest('/officer/invitations?index', { method: 'POST', cookie, form }))).status).toBe(409);
    expect((await run(list.action, makeRequest('/officer/invitations?index', { method: 'POST', cookie, form: { intent: 'revoke', invitationId: 'missing' } }))).status).toBe(404);
    expect((await run(list.action, makeRequest('/officer/invitations?index', { method: 'POST', cookie, form: { intent: 'delete' } }))).status).toBe(400);
  });

  it('treats a nonsense page number as page 1', async () => {
    const { cookie } = await staffCookie();
    const outcome = await run(list.loader, makeRequest('/officer/invitations?page=-3', { cookie }));
    expect(outcome.data).toMatchObject({ page: 1 });
  });
});
