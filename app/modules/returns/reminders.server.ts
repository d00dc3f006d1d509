import type { Db } from '#db/client';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { sha256 } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { dueReturns, type DueReturn } from './due-returns.server';

// Reminders for returns due soon and overdue, from `npm run jobs` (hourly from
// cron is fine). Each return is reminded once per state (due soon, then overdue)
// to each active contractor user of its supplier; `return_reminder` records what
// was sent. Whatever is new for a person goes in ONE email, so a council loading
// contracts that started long ago does not flood its suppliers.

/** Emails queued per run at most; the rest follow on the next run. */
export const DIGESTS_PER_RUN = 500;
/** Returns listed in one email at most (most urgent first); the rest follow on the next run. */
export const ITEMS_PER_DIGEST = 30;

export function reminderKey(r: Pick<DueReturn, 'state' | 'commitmentId' | 'period'>, userId: string): string {
  return `return-reminder:${r.state}:${r.commitmentId}:${r.period.start}:${userId}`;
}

interface Recipient {
  id: string;
  email: string;
  name: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function line(r: DueReturn): string {
  const due = formatDate(r.dueDate);
  const when = r.state === 'overdue' ? `was due on ${due}` : `due by ${due}`;
  return `- ${r.measureCode} ${r.measureTitle}, contract ${r.contractReference}, ${r.period.label}: ${when}${r.draftId ? ' (a draft is waiting to be finished)' : ''}`;
}

export function digestMessage(items: DueReturn[], user: Recipient) {
  const overdue = items.filter((r) => r.state === 'overdue');
  const soon = items.filter((r) => r.state === 'due_soon');
  const parts = [
    overdue.length ? plural(overdue.length, 'progress return overdue', 'progress returns overdue') : null,
    soon.length ? plural(soon.length, 'progress return due soon', 'progress returns due soon') : null,
  ].filter(Boolean);
  const subject = parts.join(', ').replace(/^./, (c) => c.toUpperCase());
  const body = [
    `Hello ${user.name},`,
    '',
    ...(overdue.length ? ['These progress returns are overdue: they have not been submitted yet.', ...overdue.map(line), ''] : []),
    ...(soon.length ? ['These progress returns are due soon.', ...soon.map(line), ''] : []),
    'Your home page in the portal lists every return that is due, with a link to start or continue each one.',
  ].join('\n');
  return { subject, body };
}

export interface ReminderRun {
  /** Emails queued. */
  queued: number;
  /** Returns those emails remind about. */
  reminders: number;
  /** People whose email (or part of it) waits for the next run. */
  deferred: number;
}

/** Queues one email per person with the reminders not yet sent to them. Safe to run twice. */
export async function sendReturnReminders(db: Db, today: string, { limit = DIGESTS_PER_RUN }: { limit?: number } = {}): Promise<ReminderRun> {
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

  const run: ReminderRun = { queued: 0, reminders: 0, deferred: 0 };
  for (const [supplierId, recipients] of bySupplier) {
    const { items } = await dueReturns(db, { supplierId, today, period, limit: Number.POSITIVE_INFINITY });
    if (items.length === 0) continue;
    for (const user of recipients) {
      const keyed = items.map((r) => ({ r, key: reminderKey(r, user.id) }));
      const sent = new Set(
        (await db.selectFrom('return_reminder').select('key').where('user_id', '=', user.id).execute()).map((row) => row.key),
      );
      const fresh = keyed.filter((k) => !sent.has(k.key));
      if (fresh.length === 0) continue;
      if (run.queued >= limit) {
        run.deferred += 1;
        continue;
      }
      const batch = fresh.slice(0, ITEMS_PER_DIGEST);
      if (fresh.length > batch.length) run.deferred += 1;
      const digestKey = `return-reminder-digest:${user.id}:${sha256(batch.map((b) => b.key).sort().join('\n')).slice(0, 24)}`;
      await db.transaction().execute(async (tx) => {
        const at = nowIso();
        // A second job running at the same moment has the same rows to write: the
        // primary key lets only one of them through, and the other sends nothing.
        const inserted = await tx
          .insertInto('return_reminder')
          .values(batch.map((b) => ({ key: b.key, user_id: user.id, digest_key: digestKey, created_at: at })))
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== batch.length) throw new SentMeanwhile();
        await enqueueNotification(tx, { kind: 'return_reminder', toEmail: user.email, toUserId: user.id, ...digestMessage(batch.map((b) => b.r), user), linkPath: '/', dedupeKey: digestKey });
      }).then(
        () => {
          run.queued += 1;
          run.reminders += batch.length;
        },
        (error: unknown) => {
          if (!(error instanceof SentMeanwhile)) throw error;
        },
      );
    }
  }
  return run;
}

class SentMeanwhile extends Error {}
