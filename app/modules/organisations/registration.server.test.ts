import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { validateSessionToken } from '~/auth/session.server';
import { makeUser, makeWard } from '../../../tests/support/factories';
import type { RegistrationInput } from './registration.schema';
import { REGISTRATION_LIMIT, registerVcse } from './registration.server';

const anonymous = { userId: null, organisationId: null, requestId: 'req-reg' };
let seq = 0;
const ip = () => `198.51.100.${seq++ % 250}`;

async function input(overrides: Partial<RegistrationInput> = {}): Promise<RegistrationInput> {
  const ward = await makeWard();
  return {
    organisationName: 'Castle Food Bank', charityNumber: '1187654', companyNumber: undefined, wardId: ward.id,
    description: 'Food parcels and a warm space.', name: 'Tom Baker', email: `reg-${Date.now()}-${seq++}@example.org`,
    phone: '01632 960 001', password: 'castle-food-bank-2026', confirmPassword: 'castle-food-bank-2026', ...overrides,
  };
}

async function counts() {
  const n = async (table: 'user' | 'organisation' | 'audit_event' | 'notification') =>
    Number((await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { user: await n('user'), organisation: await n('organisation'), audit: await n('audit_event'), notification: await n('notification') };
}

describe('registerVcse', () => {
  it('creates a pending VCSE organisation and its user, signs in, audits and tells the applicant and each active officer and admin', async () => {
    const officer = await makeUser('officer');
    const admin = await makeUser('admin');
    const gone = await makeUser('officer');
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    const form = await input();
    const result = await registerVcse(getDb(), { ...form, ip: ip() }, anonymous);
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    const org = await getDb().selectFrom('organisation').selectAll().where('id', '=', result.organisationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({
      name: 'Castle Food Bank', kind: 'vcse', status: 'pending', charity_number: '1187654', ward_id: form.wardId,
      description: form.description, contact_name: 'Tom Baker', contact_email: form.email, contact_phone: '01632 960 001',
    });
    const user = await getDb().selectFrom('user').selectAll().where('id', '=', result.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: form.email, role: 'vcse', organisation_id: org.id });
    expect((await validateSessionToken(getDb(), result.sessionToken))?.organisationStatus).toBe('pending');

    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', 'in', [org.id, user.id]).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.registered', 'user.created']);
    expect(audit.every((a) => a.actor_user_id === user.id && a.request_id === 'req-reg')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(form.password);

    const mail = await getDb().selectFrom('notification').selectAll().where('dedupe_key', 'like', `%${org.id}%`).orderBy('to_email').execute();
    expect(mail.find((m) => m.kind === 'registration_received')?.to_email).toBe(form.email);
    const staffMail = mail.filter((m) => m.kind === 'organisation_pending');
    expect(staffMail.map((m) => m.to_user_id)).toEqual(expect.arrayContaining([officer.id, admin.id]));
    expect(staffMail.map((m) => m.to_user_id)).not.toContain(gone.id);
    expect(staffMail[0]?.link).toBe(`http://localhost:3000/officer/organisations/${org.id}`);
  });

  it('refuses an email that already has an account, next to the email, and writes nothing', async () => {
    const existing = await makeUser('contractor');
    const form = await input({ email: existing.email });
    const before = await counts();
    const result = await registerVcse(getDb(), { ...form, ip: ip() }, anonymous);
    expect(result).toMatchObject({ ok: false, status: 400, field: 'email' });
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown ward', async () => {
    const form = await input({ wardId: 'no-such-ward' });
    const before = await counts();
    expect(await registerVcse(getDb(), { ...form, ip: ip() }, anonymous)).toMatchObject({ ok: false, field: 'wardId' });
    expect(await counts()).toEqual(before);
  });

  it(`allows ${REGISTRATION_LIMIT.hits} registrations an hour from one IP address`, async () => {
    const address = '192.0.2.55';
    for (let i = 0; i < REGISTRATION_LIMIT.hits; i += 1) {
      expect((await registerVcse(getDb(), { ...(await input()), ip: address }, anonymous)).ok).toBe(true);
    }
    const before = await counts();
    const result = await registerVcse(getDb(), { ...(await input()), ip: address }, anonymous);
    expect(result).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/^Too many attempts/) });
    expect(await counts()).toEqual(before);
  });
});
