import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { loadEnv } from '~/utils/env.server';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { loader as messageLoader } from './admin.outbox.$notificationId';
import { loader as outboxLoader } from './admin.outbox._index';

async function queue(toEmail: string, subject = 'Reset your password') {
  await enqueueNotification(getDb(), { kind: 'password_reset', toEmail, subject, body: 'Use this link to choose a new password.', linkPath: '/reset-password/token123' });
  return getDb().selectFrom('notification').selectAll().where('to_email', '=', toEmail).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

const ENV_KEYS = ['NODE_ENV', 'DEMO_MODE', 'SECRET_KEY', 'APP_ORIGIN'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

/** Switches the cached configuration; getEnv() is read once per process, so reload it. */
function useEnv(values: Partial<Record<(typeof ENV_KEYS)[number], string>>) {
  const env = process.env as Record<string, string | undefined>;
  for (const key of ENV_KEYS) {
    const value = key in values ? values[key] : saved[key];
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  loadEnv();
}

afterEach(() => useEnv({}));

describe('/admin/outbox', () => {
  it('sends anonymous visitors to sign in', async () => {
    const message = await queue('anon-check@example.org');
    expect((await run(outboxLoader, makeRequest('/admin/outbox'))).status).toBe(302);
    expect((await run(messageLoader, makeRequest(`/admin/outbox/${message.id}`), { notificationId: message.id })).location).toMatch(/^\/sign-in/);
  });

  it.each<Role>(['officer', 'contractor', 'vcse'])('refuses a %s with 403', async (role) => {
    const user = await makeUser(role);
    const cookie = await cookieFor(user.id);
    const message = await queue(`${role}-check@example.org`);
    expect((await run(outboxLoader, makeRequest('/admin/outbox', { cookie }))).status).toBe(403);
    expect((await run(messageLoader, makeRequest(`/admin/outbox/${message.id}`, { cookie }), { notificationId: message.id })).status).toBe(403);
  });

  it('lists messages newest first with counts by status, filtered by recipient', async () => {
    const admin = await makeUser('admin');
    const cookie = await cookieFor(admin.id);
    const a = await queue('alice-outbox@example.org', 'First');
    await queue('bob-outbox@example.org', 'Second');
    await getDb().updateTable('notification').set({ status: 'sent', sent_at: new Date().toISOString() }).where('id', '=', a.id).execute();

    const all = await run(outboxLoader, makeRequest('/admin/outbox?to=-outbox%40example', { cookie }));
    expect(all.status).toBe(200);
    expect(all.data).toMatchObject({ total: 2, all: 2, byStatus: { pending: 1, sent: 1, failed: 0 } });
    expect((all.data as { rows: Array<{ subject: string }> }).rows.map((r) => r.subject)).toEqual(['Second', 'First']);

    const pending = await run(outboxLoader, makeRequest('/admin/outbox?to=-outbox%40example&status=pending', { cookie }));
    expect(pending.data).toMatchObject({ total: 1, rows: [{ to_email: 'bob-outbox@example.org', status: 'pending' }] });
    const alice = await run(outboxLoader, makeRequest('/admin/outbox?to=ALICE', { cookie }));
    expect(alice.data).toMatchObject({ total: 1, rows: [{ to_email: 'alice-outbox@example.org' }] });
  });

  it('shows one message in full with its absolute link', async () => {
    const admin = await makeUser('admin');
    const message = await queue('reader@example.org');
    const outcome = await run(messageLoader, makeRequest(`/admin/outbox/${message.id}`, { cookie: await cookieFor(admin.id) }), { notificationId: message.id });
    expect(outcome.data).toMatchObject({
      notification: { link: 'http://localhost:3000/reset-password/token123', body_text: expect.stringContaining('Use this link') },
    });
    expect((await run(messageLoader, makeRequest('/admin/outbox/missing', { cookie: await cookieFor(admin.id) }), { notificationId: 'missing' })).status).toBe(404);
  });

  it('does not exist in production (404), but does in the demo', async () => {
    const admin = await makeUser('admin');
    const message = await queue('production@example.org');
    useEnv({ NODE_ENV: 'production', SECRET_KEY: 'a-production-secret-that-is-long-enough-1234', APP_ORIGIN: 'https://portal.example.gov.uk' });
    // The cookie's name depends on the (now https) origin, so make it after switching.
    const cookie = await cookieFor(admin.id);
    expect((await run(outboxLoader, makeRequest('/admin/outbox', { cookie }))).status).toBe(404);
    expect((await run(messageLoader, makeRequest(`/admin/outbox/${message.id}`, { cookie }), { notificationId: message.id })).status).toBe(404);

    useEnv({ NODE_ENV: 'production', DEMO_MODE: 'true', SECRET_KEY: 'a-production-secret-that-is-long-enough-1234', APP_ORIGIN: 'https://portal.example.gov.uk' });
    expect((await run(outboxLoader, makeRequest('/admin/outbox', { cookie }))).status).toBe(200);
  });
});
