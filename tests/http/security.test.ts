import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getSqlite } from '#db/client';
import { cspNonce, form, startApp, testEnv, type TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startApp();
});
afterAll(() => server.close());

describe('security headers', () => {
  it('sends an enforced CSP whose script nonce matches every <script> on the page and changes per request', async () => {
    const first = await fetch(`${server.url}/`);
    const html = await first.text();
    const csp = first.headers.get('content-security-policy');
    const nonce = cspNonce(csp);
    expect(nonce, `no script nonce in ${csp}`).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(first.headers.get('content-security-policy-report-only')).toBeNull();

    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, 'every script carries the nonce').toContain(`nonce="${nonce}"`);

    const second = await fetch(`${server.url}/`);
    await second.text();
    expect(cspNonce(second.headers.get('content-security-policy'))).not.toBe(nonce);
  });

  it('forbids framing, MIME sniffing and full referrers', async () => {
    const response = await fetch(`${server.url}/sign-in`);
    await response.text();
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends no HSTS over plain http', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when production is configured for https', async () => {
    const env = testEnv({ NODE_ENV: 'production', APP_ORIGIN: 'https://portal.example.gov.uk', SECRET_KEY: 'x'.repeat(40) });
    const https = await startApp({ env });
    try {
      const response = await fetch(`${https.url}/healthz`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });
});

describe('cross-site request refusal', () => {
  const post = (headers: Record<string, string>) => {
    const { body, headers: formHeaders } = form({ email: 'nobody@example.org', password: 'not-the-password' });
    return fetch(`${server.url}/sign-in`, { method: 'POST', body, headers: { ...formHeaders, ...headers }, redirect: 'manual' });
  };

  it('refuses a POST from a foreign Origin', async () => {
    const response = await post({ Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/another website/);
  });

  it('refuses a POST the browser marks Sec-Fetch-Site: cross-site', async () => {
    const response = await post({ Origin: server.origin, 'Sec-Fetch-Site': 'cross-site' });
    expect(response.status).toBe(403);
  });

  it('refuses a POST from a sibling subdomain (Sec-Fetch-Site: same-site) even without an Origin', async () => {
    expect((await post({ 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
  });

  it('refuses a POST with a foreign Referer and no Origin', async () => {
    const response = await post({ Referer: 'https://evil.example/page' });
    expect(response.status).toBe(403);
  });

  it('accepts a POST from our own Origin (and handles it: a wrong password is a 400)', async () => {
    const response = await post({ Origin: server.origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(response.status).not.toBe(403);
    expect(response.status).toBe(400);
  });
});

describe('health check', () => {
  it('answers 200 while the database works', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('answers 503 when the database is unusable, and recovers once it is reopened', async () => {
    getSqlite().close();
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.text()).toBe('database unavailable');
    } finally {
      closeDb(); // forget the closed handle: the next use reopens DATABASE_PATH
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('pages', () => {
  it('answers an unknown address with a 404 in the service layout', async () => {
    const response = await fetch(`${server.url}/no-such-page/really`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('class="govuk-template"');
    expect(html).toContain('govuk-skip-link');
    expect(html).toContain('Page not found');
    expect(html).toMatch(/<title>[^<]*Page not found/);
  });
});

describe('requests a browser form would never send', () => {
  it('answers a malformed percent-encoded address with 400, not 500', async () => {
    for (const path of ['/%E0%A4', '/contracts/%E0%A4', '/reset-password/%FF']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(400);
    }
  });

  it('answers a JSON body posted to a form with 415, not 500', async () => {
    for (const path of ['/sign-in', '/forgot-password', '/register']) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":1}' });
      expect(response.status, path).toBe(415);
    }
  });
});
