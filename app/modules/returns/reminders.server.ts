import type { Db } from '#db/client';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { formatDate } from '~/utils/time';
import { dueReturns, type DueReturn } from './due-returns.server';

// Reminders for returns due soon and overdue, from `npm run jobs` (hourly from
// cron is fine). Each active contractor user of the supplier gets one email per
// return and state: the outbox's dedupe key makes a second run send nothing,
// and an overdue reminder is a new message after the due-soon one.

/** New reminders queued per run at most; the rest follow on the next run (most urgent first). */
export const REMINDERS_PER_RUN = 1_000;

const KEY_CHUNK = 500;

export function reminderKey(r: Pick<DueReturn, 'state' | 'commitmentId' | 'period'>, userId: string): string {
  return `return-reminder:${r.state}:${r.commitmentId}:${r.period.start}:${userId}`;
}

interface Recipient {
  id: string;
  email: string;
  name: string;
}

export function reminderMessage(r: DueReturn, user: Recipient) {
  const due = formatDate(r.dueDate);
  const subject = r.state === 'overdue'
    ? `Progress return overdue: ${r.measureCode} on ${r.contractReference}, ${r.period.label}`
    : `Progress return due by ${due}: ${r.measureCode} on ${r.contractReference}, ${r.period.label}`;
  const lines = [
    `Hello ${user.name},`,
    '',
    r.state === 'overdue'
      ? `This progress return was due on ${due} and has not been submitted yet.`
      : `This progress return is due by ${due}.`,
    '',
    `Commitment: ${r.measureCode} ${r.measureTitle}`,
    `Contract: ${r.contractReference}`,
    `Period: ${r.period.label} (${formatDate(r.period.start)} to ${formatDate(r.period.end)})`,
    `Due date: ${due}`,
    '',
    ...(r.draftId ? ['Your organisation has a draft of this return: finish it and submit it.', ''] : []),
    'Your home page in the portal lists every return that is due, with a link to start or continue each one.',
  ];
  return { subject, body: lines.join('\n') };
}

async function existingKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += KEY_CHUNK) {
    const rows = await db.selectFrom('notification').select('dedupe_key').where('dedupe_key', 'in', keys.slice(i, i + KEY_CHUNK)).execute();
    for (const row of rows) if (row.dedupe_key) found.add(row.dedupe_key);
  }
  return found;
}

/** Queues the reminders not yet sent; returns how many were queued and how many wait for the next run. */
export async function sendReturnReminders(db: Db, today: string, { limit = REMINDERS_PER_RUN }: { limit?: number } = {}): Promise<{ queued: number; deferred: number }> {
  const period = await getReportingPeriod(db);
  const users = await db
    .selectFrom('user')
    .select(['id', 'email', 'name', 'organisation_id'])
    .where('role', '=', 'contractor')
    .where('status', '=', 'active')
    .where('organisation_id', 'in', db.selectFrom('contract').select('supplier_id').where('status', '=', 'active'))
    .orderBy('organisation_id')
    .orderBy('id')
    .execute();
  const bySupplier = new Map<string, Recipient[]>();
  for (const u of users) bySupplier.set(u.organisation_id, [...(bySupplier.get(u.organisation_id) ?? []), u]);

  let queued = 0;
  let deferred = 0;
  for (const [supplierId, recipients] of bySupplier) {
    const { items } = await dueReturns(db, { supplierId, today, period, limit: Number.POSITIVE_INFINITY });
    const wanted = items.flatMap((r) => recipients.map((user) => ({ r, user, key: reminderKey(r, user.id) })));
    if (wanted.length === 0) continue;
    const sent = await existingKeys(db, wanted.map((w) => w.key));
    const fresh = wanted.filter((w) => !sent.has(w.key));
    const now = fresh.slice(0, Math.max(0, limit - queued));
    deferred += fresh.length - now.length;
    if (now.length === 0) continue;
    await db.transaction().execute(async (tx) => {
      for (const { r, user, key } of now) {
        await enqueueNotification(tx, { kind: 'return_reminder', toEmail: user.email, toUserId: user.id, ...reminderMessage(r, user), linkPath: '/', dedupeKey: key });
      }
    });
    queued += now.length;
  }
  return { queued, deferred };
}
