import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser, makeWard } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as register from './register';
import * as done from './register_.done';

// /register and /register/done. Only valid submissions count towards the per-IP limit.
type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };
let seq = 0;

async function form(overrides: Record<string, string> = {}) {
  const ward = await makeWard();
  return {
    organisationName: 'Castle Food Bank', charityNumber: '1187654-1', companyNumber: '', wardId: ward.id,
    description: 'Food parcels and a warm space.', name: 'Tom Baker', email: `route-reg-${Date.now()}-${seq++}@example.org`,
    phone: '', password: 'castle-food-bank-2026', confirmPassword: 'castle-food-bank-2026', website_url: '', ...overrides,
  };
}

async function counts() {
  const n = async (table: 'user' | 'organisation' | 'audit_event' | 'notification' | 'session') =>
    Number((await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { user: await n('user'), organisation: await n('organisation'), audit: await n('audit_event'), notification: await n('notification'), session: await n('session') };
}

const post = async (values: Record<string, string>, cookie?: string) => run(register.action, makeRequest('/register', { method: 'POST', form: values, cookie }));

describe('/register', () => {
  it('lists the wards for an anonymous visitor and sends a signed-in user home', async () => {
    const ward = await makeWard();
    const page = await run(register.loader, makeRequest('/register'));
    expect((page.data as { wards: Array<{ value: string }> }).wards.map((w) => w.value)).toContain(ward.id);
    const cookie = await cookieFor((await makeUser('vcse')).id);
    expect(await run(register.loader, makeRequest('/register', { cookie }))).toMatchObject({ status: 302, location: '/' });
    const before = await counts();
    expect(await post(await form(), cookie)).toMatchObject({ status: 303, location: '/' });
    expect(await counts()).toEqual(before);
  });

  it('registers a pending organisation, signs the applicant in and shows the confirmation', async () => {
    const values = await form({ companyNumber: 'ce012345', phone: '01632 960 001' });
    const outcome = await post(values);
    expect(outcome.status).toBe(303);
    expect(outcome.location).toBe('/register/done');
    const cookie = (outcome.headers.get('Set-Cookie') ?? '').split(';')[0]!;
    const confirmation = await run(done.loader, makeRequest('/register/done', { cookie }));
    expect(confirmation.data).toMatchObject({ organisationName: 'Castle Food Bank', email: values.email, status: 'pending' });
    const org = await getDb().selectFrom('organisation').selectAll().where('contact_email', '=', values.email).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: 'vcse', status: 'pending', company_number: 'CE012345', charity_number: '1187654-1' });
  });

  it.each([
    [{ organisationName: '', description: '', name: '', email: '', wardId: '' }, {
      organisationName: ['Enter the name of your organisation'], description: ['Describe what your organisation does'], name: ['Enter your full name'],
      email: ['Enter your email address'], wardId: ['Select the ward where your organisation mainly works'],
    }],
    [{ description: 'x'.repeat(1001), organisationName: 'y'.repeat(201) }, {
      description: ['Description must be 1000 characters or fewer'], organisationName: ['Organisation name must be 200 characters or fewer'],
    }],
    [{ charityNumber: '12345', companyNumber: 'ABC', phone: '12', email: 'tom@' }, {
      charityNumber: ['Enter a charity number in the correct format, like 1187654, 1187654-1 or SC012345'],
      companyNumber: ['Enter a company number in the correct format: 8 characters, like 09876543 or SC123456'],
      phone: ['Enter a telephone number, like 01632 960 001 or +44 7700 900 982'],
      email: ['Enter an email address in the correct format, like name@example.org'],
    }],
    [{ password: 'password', confirmPassword: 'password' }, { password: ['Password must be 12 characters or more'] }],
    [{ confirmPassword: 'something-else-entirely' }, { confirmPassword: ['The passwords do not match. Enter the same password twice'] }],
  ])('answers 400 for %j with messages by the fields and writes nothing', async (overrides, errors) => {
    const values = await form(overrides);
    const before = await counts();
    const outcome = await post(values);
    expect(outcome.status).toBe(400);
    const reply = outcome.data as Reply;
    expect(reply.error).toMatchObject(errors);
    expect(reply.initialValue?.password).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('keeps script typed into fields as text', async () => {
    const typed = '<script>alert(document.cookie)</script>';
    const outcome = await post(await form({ organisationName: typed, description: typed, email: 'bad' }));
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).initialValue).toMatchObject({ organisationName: typed, description: typed });
  });

  it('puts an email that already has an account next to the email field', async () => {
    const existing = await makeUser('officer');
    const before = await counts();
    const outcome = await post(await form({ email: existing.email.toUpperCase() }));
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.email?.[0]).toMatch(/^There is already an account with this email address/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a bot that fills the hidden field, writing nothing', async () => {
    const before = await counts();
    const outcome = await post(await form({ website_url: 'http://spam.example' }));
    expect(outcome.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('/register/done', () => {
  it('is for VCSE users only', async () => {
    expect((await run(done.loader, makeRequest('/register/done'))).location).toBe('/sign-in?redirectTo=%2Fregister%2Fdone');
    const cookie = await cookieFor((await makeUser('contractor')).id);
    expect((await run(done.loader, makeRequest('/register/done', { cookie }))).status).toBe(403);
  });
});
