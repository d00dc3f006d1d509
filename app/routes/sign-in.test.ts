import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { action, loader } from './sign-in';

const PASSWORD = 'correct-horse-battery-7';

describe('/sign-in', () => {
  it('signs in with a 303 to a safe redirect target and sets the session cookie', async () => {
    const user = await makeUser('officer', { password: PASSWORD });
    const result = await run(action, makeRequest('/sign-in', { method: 'POST', form: { email: user.email.toUpperCase(), password: PASSWORD, redirectTo: '/account' } }));
    expect(result.status).toBe(303);
    expect(result.location).toBe('/account');
    expect(result.headers.get('Set-Cookie')).toMatch(/svp_session=[^;]+\.[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('never redirects to another site after signing in', async () => {
    const user = await makeUser('vcse', { password: PASSWORD });
    const result = await run(action, makeRequest('/sign-in', { method: 'POST', form: { email: user.email, password: PASSWORD, redirectTo: '//evil.example/' } }));
    expect(result.location).toBe('/');
  });

  it.each([
    [{ email: '', password: '' }, { email: ['Enter your email address'], password: ['Enter your password'] }],
    [{ email: 'not-an-email', password: 'x' }, { email: ['Enter an email address in the correct format, like name@example.org'] }],
    [{ email: `${'a'.repeat(250)}@example.org`, password: 'x' }, { email: ['Email address must be 254 characters or fewer'] }],
  ])('answers 400 with messages by the field for %j', async (form, errors) => {
    const result = await run(action, makeRequest('/sign-in', { method: 'POST', form }));
    expect(result.status).toBe(400);
    expect((result.data as { error: unknown }).error).toMatchObject(errors);
  });

  it('keeps the typed email, never the password, and writes no session on a wrong password', async () => {
    const user = await makeUser('contractor', { password: PASSWORD });
    const before = await getDb().selectFrom('session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const typed = `<script>alert(1)</script>' OR 1=1 --`;
    const result = await run(action, makeRequest('/sign-in', { method: 'POST', form: { email: user.email, password: typed } }));
    expect(result.status).toBe(400);
    const reply = result.data as { initialValue: Record<string, unknown>; error: Record<string, string[]> };
    expect(reply.initialValue.email).toBe(user.email);
    expect(reply.initialValue.password).toBeUndefined();
    expect(reply.error['']).toEqual(['Enter a correct email address and password']);
    const after = await getDb().selectFrom('session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses a bot that fills the hidden field with 400, even with the right password, writing nothing', async () => {
    const user = await makeUser('officer', { password: PASSWORD });
    const count = async () => Promise.all((['session', 'audit_event', 'rate_limit'] as const).map(async (table) =>
      Number((await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await count();
    const result = await run(action, makeRequest('/sign-in', { method: 'POST', form: { email: user.email, password: PASSWORD, website_url: 'http://spam.example' } }));
    expect(result.status).toBe(400);
    const reply = result.data as { initialValue: Record<string, unknown>; error: Record<string, string[]> };
    expect(reply.error['']).toEqual(['Your sign-in could not be sent. Try again.']);
    expect(reply.initialValue.password).toBeUndefined();
    expect(result.headers.get('Set-Cookie')).toBeNull();
    expect(await count()).toEqual(before);
  });

  it('sends a signed-in visitor on to where they were going', async () => {
    const user = await makeUser('admin');
    const result = await run(loader, makeRequest('/sign-in?redirectTo=%2Fadmin%2Fusers', { cookie: await cookieFor(user.id) }));
    expect(result.status).toBe(302);
    expect(result.location).toBe('/admin/users');
  });
});
