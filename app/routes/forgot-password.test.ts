import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { makeRequest, run } from '../../tests/support/requests';
import { action, loader } from './forgot-password';

type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };

async function written() {
  const db = getDb();
  const count = async (table: 'password_reset' | 'notification' | 'audit_event' | 'rate_limit') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { resets: await count('password_reset'), mail: await count('notification'), audit: await count('audit_event'), limits: await count('rate_limit') };
}

const post = (form: Record<string, string>) => run(action, makeRequest('/forgot-password', { method: 'POST', form }));

describe('/forgot-password', () => {
  it('is public and shows the confirmation after a request', async () => {
    expect(await run(loader, makeRequest('/forgot-password'))).toMatchObject({ status: 200, data: { sent: false, validMinutes: 60 } });
    expect(await run(loader, makeRequest('/forgot-password?sent=1'))).toMatchObject({ status: 200, data: { sent: true } });
  });

  it('answers a known and an unknown email identically, and mails only the known one', async () => {
    const user = await makeUser('contractor', { password: 'a-long-test-password-42' });
    const before = await written();
    const known = await post({ email: `  ${user.email.toUpperCase()} ` });
    const afterKnown = await written();
    const unknown = await post({ email: 'no-such-person@example.org' });
    const afterUnknown = await written();
    expect(known).toMatchObject({ status: 303, location: '/forgot-password?sent=1' });
    expect({ status: unknown.status, location: unknown.location }).toEqual({ status: known.status, location: known.location });
    expect(afterKnown).toMatchObject({ resets: before.resets + 1, mail: before.mail + 1, audit: before.audit + 1 });
    expect(afterUnknown).toMatchObject({ resets: afterKnown.resets, mail: afterKnown.mail, audit: afterKnown.audit });
    const mail = await getDb().selectFrom('notification').select(['to_email', 'link']).where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    expect(mail.to_email).toBe(user.email);
    expect(mail.link).toMatch(/^http:\/\/localhost:3000\/reset-password\/[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['missing', {}, 'Enter your email address'],
    ['blank', { email: '   ' }, 'Enter your email address'],
    ['too long', { email: `${'a'.repeat(250)}@example.org` }, 'Email address must be 254 characters or fewer'],
    ['not an email', { email: '<script>alert(1)</script>' }, 'Enter an email address in the correct format, like name@example.org'],
  ])('refuses a %s email with 400, writing nothing', async (_name, form, message) => {
    const before = await written();
    const outcome = await post(form);
    expect(outcome.status).toBe(400);
    const reply = outcome.data as Reply;
    expect(reply.status).toBe('error');
    expect(reply.error?.email?.[0]).toBe(message);
    expect(await written()).toEqual(before);
  });

  it('keeps what was typed, script tags included, as text to show again', async () => {
    const outcome = await post({ email: '<script>alert(1)</script>' });
    expect((outcome.data as Reply).initialValue?.email).toBe('<script>alert(1)</script>');
  });

  it('quietly ignores a filled-in honeypot', async () => {
    const user = await makeUser('vcse', { password: 'a-long-test-password-42' });
    const before = await written();
    const outcome = await post({ email: user.email, website_url: 'http://spam.example' });
    expect(outcome).toMatchObject({ status: 303, location: '/forgot-password?sent=1' });
    expect(await written()).toEqual(before);
  });

  it('refuses a sixth request for the same email within the hour with 429', async () => {
    const email = 'rate-limited@example.org';
    for (let i = 0; i < 5; i += 1) expect((await post({ email })).status).toBe(303);
    const refused = await post({ email });
    expect(refused.status).toBe(429);
    const reply = refused.data as Reply;
    expect(reply.error?.['']?.[0]).toMatch(/^Too many attempts\. Wait \d+ minutes/);
    expect(reply.initialValue?.email).toBe(email);
  });
});
