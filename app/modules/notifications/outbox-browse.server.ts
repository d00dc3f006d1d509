import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { columnContains } from '~/utils/sql-like';
import { NOTIFICATION_STATUSES, OUTBOX_PAGE_SIZE, type NotificationStatus, type OutboxFilters } from './outbox-browse.schema';

// Reading the outbox on screen (development and demo only: see isOutboxVisible).

export async function listNotifications(db: DbOrTx, filters: OutboxFilters, page: number, pageSize = OUTBOX_PAGE_SIZE) {
  let base = db.selectFrom('notification');
  if (filters.to) base = base.where(columnContains('to_email', filters.to));

  // Counts by status for the recipient filter, so the status tabs show what each holds.
  const counts = await base.select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const byStatus = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<NotificationStatus, number>;
  const all = byStatus.pending + byStatus.sent + byStatus.failed;
  const total = filters.status ? byStatus[filters.status] : all;

  const query = filters.status ? base.where('status', '=', filters.status) : base;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await query
    .select(['id', 'kind', 'to_email', 'subject', 'status', 'attempts', 'created_at', 'sent_at'])
    .orderBy('created_at', 'desc')
    .orderBy(sql`rowid`, 'desc') // insertion order breaks ties within a millisecond
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .execute();
  return { rows, total, all, byStatus, page: current, pageCount, pageSize };
}

export function getNotification(db: DbOrTx, id: string) {
  return db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();
}
