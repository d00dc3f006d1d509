import nodemailer, { type Transporter } from 'nodemailer';
import { getDb, type DbOrTx } from '#db/client';
import type { Env } from '~/utils/env.server';
import { nowIso } from '~/utils/time';

// Sends the outbox after commit. No network call ever runs inside a transaction:
// a change writes its notification row; this loop (and `npm run jobs`) sends it.
export const MAX_ATTEMPTS = 5;
const POLL_MS = 5_000;

export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export function createTransport(env: Env): MailTransport | null {
  if (!env.SMTP_URL) return null;
  return nodemailer.createTransport(env.SMTP_URL) as Transporter;
}

/** Sends every pending message once; returns how many were sent and how many failed. */
export async function deliverPending(db: DbOrTx, transport: MailTransport, from: string, limit = 50) {
  const pending = await db
    .selectFrom('notification')
    .select(['id', 'to_email', 'subject', 'body_text', 'attempts'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  let sent = 0;
  let failed = 0;
  for (const message of pending) {
    // Claim the row first, so two senders never send the same message twice.
    const claimed = await db
      .updateTable('notification')
      .set({ attempts: message.attempts + 1 })
      .where('id', '=', message.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', message.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await transport.sendMail({ from, to: message.to_email, subject: message.subject, text: message.body_text });
      await db.updateTable('notification').set({ status: 'sent', sent_at: nowIso(), last_error: null }).where('id', '=', message.id).execute();
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
