import type { DbOrTx } from '#db/client';
import { columnContains } from '~/utils/sql-like';

// Reading the outbox on screen (development and demo only: see isOutboxVisible).

export const OUTBOX_PAGE_SIZE = 25;
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface OutboxFilters {
  /** Part of the recipient's email address. */
  to?: string;
  status?: NotificationStatus;
}

export function parseOutboxFilters(searchParams: URLSearchParams): OutboxFilters {
  const to = searchParams.get('to')?.trim().slice(0, 254) || undefined;
  const status = searchParams.get('status');
  return { to, status: NOTIFICATION_STATUSES.find((s) => s === status) };
}

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
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .execute();
  return { rows, total, all, byStatus, page: current, pageCount, pageSize };
}

export function getNotification(db: DbOrTx, id: string) {
  return db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();
}
