import { sql } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { getDb, type DbOrTx } from '#db/client';
import { INVITATION_TTL_MS } from '~/modules/organisations/invitations.server';
import { RESET_TTL_MS } from '~/modules/users/password-reset.server';
import type { Env } from '~/utils/env.server';
import { HOUR, MINUTE, nowIso } from '~/utils/time';

// Sends the outbox after commit. No network call ever runs inside a transaction:
// a change writes its notification row; this loop (and `npm run jobs`) sends it.
//
// While a message is pending, `sent_at` holds the time a sender last claimed it.
// A claimed message is left alone until its retry delay has passed, so the
// server's loop and `npm run jobs` running at once never send it twice, a
// failed attempt is retried later rather than at once, and a message whose
// sender died mid-send is picked up again after the delay (at least once).
export const MAX_ATTEMPTS = 5;
/** Wait after the 1st, 2nd, 3rd and 4th attempt; longer than any send can take (nodemailer's socket timeout is 10 minutes). */
export const RETRY_DELAYS_MS = [15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR] as const;
const POLL_MS = 5_000;

/**
 * The kinds of email whose link carries a secret token (a credential), and how
 * long that token works. Once such an email is sent, or its token has expired,
 * the outbox keeps its link only as `…/reset-password/[redacted]` (or
 * `…/invitations/[redacted]`): the path says what it was, the token is gone.
 * Tokens are base64url (randomToken).
 */
export const TOKEN_LINKS: Readonly<Record<string, { token: RegExp; lifetimeMs: number }>> = {
  password_reset: { token: /(\/reset-password\/)[A-Za-z0-9_-]+/g, lifetimeMs: RESET_TTL_MS },
  invitation: { token: /(\/invitations\/)[A-Za-z0-9_-]+/g, lifetimeMs: INVITATION_TTL_MS },
};
export const REDACTED = '[redacted]';

/** The text with every token in this kind's links replaced by [redacted]; other kinds come back as they are. */
export function redactTokenLinks(kind: string, text: string): string;
export function redactTokenLinks(kind: string, text: string | null): string | null;
export function redactTokenLinks(kind: string, text: string | null): string | null {
  const tokenLink = TOKEN_LINKS[kind];
  if (!tokenLink || text === null) return text;
  return text.replace(tokenLink.token, `$1${REDACTED}`);
}

export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export function createTransport(env: Env): MailTransport | null {
  if (!env.SMTP_URL) return null;
  return nodemailer.createTransport(env.SMTP_URL) as Transporter;
}

/** Pending messages that no sender holds: never tried, or last tried longer ago than their retry delay. */
function due(db: DbOrTx, now: Date) {
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const [first, second, third, fourth] = RETRY_DELAYS_MS;
  return db
    .selectFrom('notification')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([
      eb('sent_at', 'is', null),
      eb('sent_at', '<=', sql<string>`CASE attempts WHEN 1 THEN ${ago(first)} WHEN 2 THEN ${ago(second)} WHEN 3 THEN ${ago(third)} ELSE ${ago(fourth)} END`),
    ]));
}

/** Tries every due message once, oldest first; returns how many were sent and how many failed. */
export async function deliverPending(db: DbOrTx, transport: MailTransport, from: string, limit = 50, now: () => Date = () => new Date()) {
  const pending = await due(db, now())
    .select(['id', 'kind', 'to_email', 'subject', 'body_text', 'link', 'attempts', 'sent_at'])
    .orderBy('created_at')
    // Same millisecond: insertion order (ids are random UUIDs).
    .orderBy(sql`rowid`)
    .limit(limit)
    .execute();
  let sent = 0;
  let failed = 0;
  for (const message of pending) {
    // Claim the row first (compare and set on attempts and sent_at), so two senders never send it twice.
    const claimed = await db
      .updateTable('notification')
      .set({ attempts: message.attempts + 1, sent_at: nowIso(now()) })
      .where('id', '=', message.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', message.attempts)
      .where('sent_at', 'is not distinct from', message.sent_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await transport.sendMail({ from, to: message.to_email, subject: message.subject, text: message.body_text });
      // Sent: the outbox no longer needs a token the recipient now holds.
      await db
        .updateTable('notification')
        .set({
          status: 'sent', sent_at: nowIso(now()), last_error: null,
          body_text: redactTokenLinks(message.kind, message.body_text), link: redactTokenLinks(message.kind, message.link),
        })
        .where('id', '=', message.id)
        .execute();
      sent += 1;
    } catch (error) {
      const giveUp = message.attempts + 1 >= MAX_ATTEMPTS;
      await db
        .updateTable('notification')
        .set({ status: giveUp ? 'failed' : 'pending', last_error: String(error instanceof Error ? error.message : error).slice(0, 500) })
        .where('id', '=', message.id)
        .execute();
      failed += 1;
    }
  }
  return { sent, failed };
}

/** Polls the outbox in the server process when SMTP is configured. Returns a stop function. */
export function startOutboxSender(env: Env, logger: { info: (o: object, m: string) => void; warn: (m: string) => void; error: (o: object, m: string) => void }): () => void {
  const transport = createTransport(env);
  if (!transport) {
    if (env.NODE_ENV === 'production' && !env.DEMO_MODE) logger.warn('SMTP_URL is not set: emails stay in the outbox unsent');
    return () => {};
  }
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await deliverPending(getDb(), transport, env.MAIL_FROM);
      if (result.sent || result.failed) logger.info(result, 'outbox delivered');
    } catch (error) {
      logger.error({ err: error }, 'outbox delivery failed');
    } finally {
      running = false;
    }
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
