import { z } from 'zod';

// The outbox page's filters (a GET form: every filter lives in the URL). No server imports.

export const OUTBOX_PAGE_SIZE = 25;
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const NOTIFICATION_STATUS_LABELS: Record<NotificationStatus, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed' };

/** A value that is not offered is ignored rather than refused. */
export const outboxFiltersSchema = z.object({
  /** All or part of the recipient's email address. */
  to: z.string().trim().max(254).optional().catch(undefined).transform((v) => v || undefined),
  status: z.enum(NOTIFICATION_STATUSES).optional().catch(undefined),
});
export type OutboxFilters = z.infer<typeof outboxFiltersSchema>;

export function parseOutboxFilters(searchParams: URLSearchParams): OutboxFilters {
  return outboxFiltersSchema.parse({ to: searchParams.get('to') || undefined, status: searchParams.get('status') || undefined });
}
