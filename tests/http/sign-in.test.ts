import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../support/factories';
import { captureLogs, form, startApp, type TestServer } from './support';

const PASSWORD = 'a-long-test-password-9271';
const logs = captureLogs('info');
let server: TestServer;
let user: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  user = await makeUser('officer', { password: PASSWORD });
  server = await startApp({ logger: logs.logger });
});
afterAll(() => server.close());

async function signIn(password = PASSWORD) {
  const { body, headers } = form({ email: user.email, password, redirectTo: '' });
  return fetch(`${server.url}/sign-in`, { method: 'POST', body, headers: { ...headers, Origin: server.origin }, redirect: 'manual' });
}

describe('signing in over HTTP', () => {
  let cookie = '';

  it('answers 303 with an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await signIn();
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^svp_session=[^;]+;/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    expect(setCookie).toMatch(/; Path=\//);
    cookie = setCookie.split(';')[0]!;
  });

  it('then shows the signed-in user’s name on the home page', async () => {
    expect(cookie).not.toBe('');
    const response = await fetch(`${server.url}/`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    // React separates adjacent text with <!-- --> in server-rendered HTML.
    expect((await response.text()).replaceAll('<!-- -->', '')).toContain('Welcome, Test officer');
  });

  it('refuses a wrong password with 400 and the error message', async () => {
    const response = await signIn('not-the-password');
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('Enter a correct email address and password');
  });

  it('signing out clears the cookie and the session', async () => {
    const response = await fetch(`${server.url}/sign-out`, { method: 'POST', headers: { Cookie: cookie, Origin: server.origin }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^svp_session=; .*Max-Age=0/);
    const home = await (await fetch(`${server.url}/`, { headers: { Cookie: cookie } })).text();
    expect(home.replaceAll('<!-- -->', '')).not.toContain('Welcome, Test officer');
    expect(home).toContain('Social value from council contracts');
  });
});

describe('logs', () => {
  it('log each request without the password, the session cookie or tokens in paths', async () => {
    const response = await signIn();
    const sessionValue = (response.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!;
    expect(sessionValue.length).toBeGreaterThan(20);
    await (await fetch(`${server.url}/`, { headers: { Cookie: `svp_session=${sessionValue}`, Authorization: 'Bearer secret-bearer-value' } })).text();
    await (await fetch(`${server.url}/reset-password/reset-token-abc123XYZ?x=1`)).text();
    await (await fetch(`${server.url}/invitations/invite-token-def456UVW`)).text();
    await (await fetch(`${server.url}/sign-in?token=query-token-789`)).text();

    const text = logs.text();
    const requests = logs.lines.map((line) => JSON.parse(line) as { req?: { url: string } }).filter((l) => l.req);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(text).toContain('/reset-password/[redacted]');
    expect(text).toContain('/invitations/[redacted]');
    for (const secret of [PASSWORD, sessionValue, 'secret-bearer-value', 'reset-token-abc123XYZ', 'invite-token-def456UVW', 'query-token-789']) {
      expect(text, `a log line contains ${secret}`).not.toContain(secret);
    }
  });
});
