// `npm run jobs`: housekeeping, safe to run every hour from cron (and to run twice).
//   - queues reminders for progress returns due soon and overdue (each one once per user and state,
//     gathered into one email per person);
//   - sends pending outbox emails when SMTP_URL is set (the server also sends them as they arrive);
//   - deletes expired sessions, password reset links used or expired over 7 days ago,
//     and rate-limit counters that ended over a day ago; redacts spent reset and invitation links;
//   - removes day-old abandoned uploads, evidence files no return or claim uses, and photos
//     no wishlist item or story uses;
//   - expires the credit balance of active contracts whose end date has passed, when the credit
//     policy says credits expire with the contract (once per end date; docs/credits.md);
//   - expires open wishlist items whose needed-by date has passed (the organisation is emailed),
//     declining the pledges still offered on them (each contractor is emailed; docs/pledges.md).
// Prints one summary line; exits 1 if a step failed or an email could not be sent (cron then reports it).
import fs from 'node:fs';
import { closeDb, databasePath, getDb } from '#db/client';
import { londonToday } from '~/modules/contracts/dates';
import { describeExpiry, expireEndedContracts } from '~/modules/credits/expiry.server';
import { cleanUpExpired } from '~/modules/maintenance/cleanup.server';
import { createTransport, deliverPending } from '~/modules/notifications/sender.server';
import { sweepPhotos } from '~/modules/photos/photo-sweep.server';
import { sweepEvidence } from '~/modules/returns/evidence-sweep.server';
import { sendReturnReminders } from '~/modules/returns/reminders.server';
import { expireWishlistItems } from '~/modules/wishlist/expiry.server';
import { loadEnv } from '~/utils/env.server';

/** Emails tried per run; the server's own sender handles everyday volume. */
const SEND_LIMIT = 500;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function main(): Promise<number> {
  const env = loadEnv();
  if (!fs.existsSync(databasePath())) throw new Error(`no database at ${databasePath()} (set DATABASE_PATH to the live database)`);
  const db = getDb();
  const parts: string[] = [];
  let exitCode = 0;

  try {
    const reminders = await sendReturnReminders(db, londonToday());
    parts.push(`return reminder emails queued ${reminders.queued} (${plural(reminders.reminders, 'return')})${reminders.deferred > 0 ? `, ${reminders.deferred} more next run` : ''}`);
  } catch (error) {
    parts.push(`return reminders failed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }

  try {
    const expired = await expireEndedContracts(db, londonToday());
    parts.push(describeExpiry(expired));
  } catch (error) {
    parts.push(`credit expiry failed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }

  try {
    const wishlist = await expireWishlistItems(db, londonToday());
    parts.push(`wishlist items expired ${wishlist.expired}`, `unanswered pledges declined ${wishlist.declined}`);
  } catch (error) {
    parts.push(`wishlist expiry failed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }

  const transport = createTransport(env);
  if (transport) {
    const { sent, failed } = await deliverPending(db, transport, env.MAIL_FROM, SEND_LIMIT);
    parts.push(`emails sent ${sent}, failed ${failed}`);
    if (failed > 0) exitCode = 1;
  } else {
    const { n } = await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    parts.push(`emails not sent (SMTP_URL is not set; ${n} pending)`);
  }

  const cleaned = await cleanUpExpired(db);
  parts.push(`deleted ${plural(cleaned.sessions, 'expired session')}, ${plural(cleaned.passwordResets, 'old password reset')}, ${plural(cleaned.rateLimits, 'old rate limit')}; redacted ${plural(cleaned.redactedLinks, 'spent email link')}`);
  const swept = await sweepEvidence(db);
  const photos = await sweepPhotos(db);
  parts.push(`removed ${plural(swept.tmpFiles + photos.partFiles, 'abandoned upload')}, ${plural(swept.orphans, 'unused evidence file')} and ${plural(photos.unused, 'unused photo')}`);
  console.log(`jobs ${new Date().toISOString()}: ${parts.join('; ')}`);
  return exitCode;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`jobs ${new Date().toISOString()}: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  closeDb();
}
