import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { enqueueNotification } from './outbox.server';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, deliverPending, redactTokenLinks, type MailTransport } from './sender.server';

// Only the third party (the SMTP transport) is faked; the outbox is the real table.
type Mail = Parameters<MailTransport['sendMail']>[0];

class FakeTransport implements MailTransport {
  sent: Mail[] = [];
  failWith: string | null = null;
  /** When set, each send waits for this promise, so a test can run a second sender mid-send. */
  gate: Promise<void> | null = null;
  async sendMail(message: Mail) {
    if (this.gate) await this.gate;
    if (this.failWith) throw new Error(this.failWith);
    this.sent.push(message);
    return { messageId: `<${this.sent.length}@fake>` };
  }
}

const FROM = 'Portal <no-reply@example.org>';
const db = () => getDb();
let seq = 0;

async function queue(toEmail = `person-${(seq += 1)}@example.org`) {
  await enqueueNotification(db(), { kind: 'test', toEmail, subject: `Subject ${seq}`, body: 'Hello', linkPath: '/reset/abc' });
  return db().selectFrom('notification').selectAll().where('to_email', '=', toEmail).executeTakeFirstOrThrow();
}

const row = (id: string) => db().selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeEach(async () => {
  // Each test starts with an empty outbox (this file's own database).
  await db().deleteFrom('notification').execute();
});

describe('deliverPending', () => {
  it('sends each pending message once, with its link, and marks it sent', async () => {
    const a = await queue();
    const b = await queue();
    const transport = new FakeTransport();
    expect(await deliverPending(db(), transport, FROM)).toEqual({ sent: 2, failed: 0 });
    expect(transport.sent.map((m) => m.to)).toEqual([a.to_email, b.to_email]);
    expect(transport.sent[0]).toMatchObject({ from: FROM, subject: a.subject, text: 'Hello\n\nhttp://localhost:3000/reset/abc' });
    expect(await row(a.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: expect.any(String) });
    // Running again sends nothing: the job is idempotent.
    expect(await deliverPending(db(), transport, FROM)).toEqual({ sent: 0, failed: 0 });
    expect(transport.sent).toHaveLength(2);
  });

  it('keeps a failed message pending with the error, retries only after the delay, and gives up after MAX_ATTEMPTS', async () => {
    const message = await queue();
    const transport = new FakeTransport();
    transport.failWith = 'connect ECONNREFUSED 127.0.0.1:25';
    let clock = Date.parse('2026-11-24T09:00:00.000Z');
    const now = () => new Date(clock);

    expect(await deliverPending(db(), transport, FROM, 50, now)).toEqual({ sent: 0, failed: 1 });
    expect(await row(message.id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connect ECONNREFUSED 127.0.0.1:25' });
    // Not again straight away: it waits for its retry delay.
    expect(await deliverPending(db(), transport, FROM, 50, now)).toEqual({ sent: 0, failed: 0 });

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      clock += RETRY_DELAYS_MS[attempt - 2]!;
      expect(await deliverPending(db(), transport, FROM, 50, now)).toEqual({ sent: 0, failed: 1 });
      expect((await row(message.id)).attempts).toBe(attempt);
    }
    expect(await row(message.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    clock += 24 * 3_600_000;
    expect(await deliverPending(db(), transport, FROM, 50, now)).toEqual({ sent: 0, failed: 0 });
  });

  it('sends on a retry once the transport recovers', async () => {
    const message = await queue();
    const transport = new FakeTransport();
    transport.failWith = 'temporary failure';
    let clock = Date.now();
    await deliverPending(db(), transport, FROM, 50, () => new Date(clock));
    transport.failWith = null;
    clock += RETRY_DELAYS_MS[0];
    expect(await deliverPending(db(), transport, FROM, 50, () => new Date(clock))).toEqual({ sent: 1, failed: 0 });
    expect(await row(message.id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('never sends a message twice when two senders run at once', async () => {
    const messages = [await queue(), await queue(), await queue()];
    const slow = new FakeTransport();
    let release!: () => void;
    slow.gate = new Promise((resolve) => { release = resolve; });
    const first = deliverPending(db(), slow, FROM);
    // Let the first sender claim its first message and block in the middle of sending it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const other = new FakeTransport();
    const second = await deliverPending(db(), other, FROM);
    release();
    const firstResult = await first;
    expect(firstResult.sent + second.sent).toBe(3);
    const recipients = [...slow.sent, ...other.sent].map((m) => m.to).sort();
    expect(recipients).toEqual(messages.map((m) => m.to_email).sort());
    // The message in flight was left alone by the second sender.
    expect(other.sent.map((m) => m.to)).not.toContain(slow.sent[0]!.to);
  });

  it('sends at most `limit` messages, oldest first', async () => {
    const a = await queue();
    await queue();
    const transport = new FakeTransport();
    expect(await deliverPending(db(), transport, FROM, 1)).toEqual({ sent: 1, failed: 0 });
    expect(transport.sent.map((m) => m.to)).toEqual([a.to_email]);
  });
});

describe('tokens at rest', () => {
  const TOKEN = 'Zq3_x-9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
  async function queueKind(kind: string, linkPath: string) {
    const toEmail = `token-${(seq += 1)}@example.org`;
    await enqueueNotification(db(), { kind, toEmail, subject: `Subject ${seq}`, body: 'Open the link below.', linkPath });
    return db().selectFrom('notification').selectAll().where('to_email', '=', toEmail).executeTakeFirstOrThrow();
  }

  it('sends the link with its token, then keeps only the redacted link for password resets and invitations', async () => {
    const reset = await queueKind('password_reset', `/reset-password/${TOKEN}`);
    const invitation = await queueKind('invitation', `/invitations/${TOKEN}`);
    const other = await queueKind('password_changed', '/forgot-password');
    const transport = new FakeTransport();
    expect(await deliverPending(db(), transport, FROM)).toEqual({ sent: 3, failed: 0 });
    expect(transport.sent.map((m) => m.text)).toEqual([
      `Open the link below.\n\nhttp://localhost:3000/reset-password/${TOKEN}`,
      `Open the link below.\n\nhttp://localhost:3000/invitations/${TOKEN}`,
      'Open the link below.\n\nhttp://localhost:3000/forgot-password',
    ]);
    expect(await row(reset.id)).toMatchObject({
      status: 'sent', link: 'http://localhost:3000/reset-password/[redacted]', body_text: 'Open the link below.\n\nhttp://localhost:3000/reset-password/[redacted]',
    });
    expect(await row(invitation.id)).toMatchObject({
      status: 'sent', link: 'http://localhost:3000/invitations/[redacted]', body_text: 'Open the link below.\n\nhttp://localhost:3000/invitations/[redacted]',
    });
    expect(await row(other.id)).toMatchObject({ status: 'sent', link: other.link, body_text: other.body_text });
    const all = await db().selectFrom('notification').select(['body_text', 'link']).execute();
    expect(JSON.stringify(all)).not.toContain(TOKEN);
  });

  it('keeps the token while a failed send waits for its retry, and redacts it once sent', async () => {
    const reset = await queueKind('password_reset', `/reset-password/${TOKEN}`);
    const transport = new FakeTransport();
    transport.failWith = 'temporary failure';
    let clock = Date.now();
    await deliverPending(db(), transport, FROM, 50, () => new Date(clock));
    expect(await row(reset.id)).toMatchObject({ status: 'pending', link: reset.link, body_text: reset.body_text });
    transport.failWith = null;
    clock += RETRY_DELAYS_MS[0];
    await deliverPending(db(), transport, FROM, 50, () => new Date(clock));
    expect(transport.sent[0]!.text).toContain(TOKEN);
    expect((await row(reset.id)).link).toBe('http://localhost:3000/reset-password/[redacted]');
  });

  it('redacts every token in a text, leaves other kinds alone and is idempotent', () => {
    expect(redactTokenLinks('invitation', 'a https://x.example/invitations/abc?x=1 and /invitations/def.')).toBe('a https://x.example/invitations/[redacted]?x=1 and /invitations/[redacted].');
    expect(redactTokenLinks('invitation', '/invitations/[redacted]')).toBe('/invitations/[redacted]');
    expect(redactTokenLinks('password_changed', '/reset-password/abc')).toBe('/reset-password/abc');
    expect(redactTokenLinks('password_reset', null)).toBeNull();
  });
});
