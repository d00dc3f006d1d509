import { sql, type SqlBool } from 'kysely';
import type { DbOrTx } from '#db/client';
import { AUDIT_PAGE_SIZE, type AuditCursor, type AuditFilters } from './audit-browse.schema';

// Browsing the audit trail. It only ever grows, so pages are keyset pages on
// (occurred_at, id), newest first: each page is an index range scan, however
// deep, and the filters match the indexes (time, action, actor, subject).

const LONDON_OFFSET = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });

/** The UTC instant when a calendar day (YYYY-MM-DD) starts in the UK. */
export function ukDayStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  const name = LONDON_OFFSET.formatToParts(new Date(utcMidnight)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offsetMinutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(utcMidnight - offsetMinutes * 60_000).toISOString();
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Distinct values of an indexed column, found by skipping through the index
 * (one lookup per value) instead of reading every row.
 */
async function distinctValues(db: DbOrTx, column: 'action' | 'subject_type'): Promise<string[]> {
  const col = sql.ref(column);
  const result = await sql<{ value: string }>`
    WITH RECURSIVE v(value) AS (
      SELECT min(${col}) FROM audit_event
      UNION ALL
      SELECT (SELECT min(${col}) FROM audit_event WHERE ${col} > v.value) FROM v WHERE v.value IS NOT NULL
    )
    SELECT value FROM v WHERE value IS NOT NULL`.execute(db);
  return result.rows.map((r) => r.value);
}

/** The options for the action and subject type filters. */
export async function auditFacets(db: DbOrTx) {
  return { actions: await distinctValues(db, 'action'), subjectTypes: await distinctValues(db, 'subject_type') };
}

function filtered(db: DbOrTx, filters: AuditFilters) {
  let query = db
    .selectFrom('audit_event as e')
    .leftJoin('user as actor', 'actor.id', 'e.actor_user_id')
    .leftJoin('organisation as org', 'org.id', 'e.actor_organisation_id')
    .select([
      'e.id', 'e.occurred_at', 'e.action', 'e.subject_type', 'e.subject_id', 'e.before_json', 'e.after_json', 'e.request_id',
      'e.actor_user_id', 'actor.name as actorName', 'actor.email as actorEmail', 'org.name as actorOrganisationName',
    ]);
  if (filters.actionName) query = query.where('e.action', '=', filters.actionName);
  if (filters.subjectType) query = query.where('e.subject_type', '=', filters.subjectType);
  if (filters.subjectId) query = query.where('e.subject_id', '=', filters.subjectId);
  if (filters.actor) {
    const email = filters.actor.toLowerCase();
    // Emails are unique, so `=` a scalar subquery: SQLite then walks audit_event_actor in time order.
    query = query.where('e.actor_user_id', '=', (eb) => eb.selectFrom('user').select('user.id').where('user.email', '=', email));
  }
  if (filters.from) query = query.where('e.occurred_at', '>=', ukDayStart(filters.from));
  if (filters.to) query = query.where('e.occurred_at', '<', ukDayStart(nextDay(filters.to)));
  return query;
}

export type AuditEventRow = Awaited<ReturnType<ReturnType<typeof filtered>['execute']>>[number];

export interface AuditPage {
  events: AuditEventRow[];
  /** Link to newer events with `after=newerThan`; null on the first page. */
  newerThan: number | null;
  /** Link to older events with `before=olderThan`; null on the last page. */
  olderThan: number | null;
}

export async function browseAudit(db: DbOrTx, filters: AuditFilters, cursor: AuditCursor = {}, pageSize = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const anchorId = cursor.before ?? cursor.after;
  const anchor = anchorId
    ? await db.selectFrom('audit_event').select(['id', 'occurred_at']).where('id', '=', anchorId).executeTakeFirst()
    : undefined;
  const key = sql`(${sql.ref('e.occurred_at')}, ${sql.ref('e.id')})`;

  if (anchor && cursor.after) {
    const newer = await filtered(db, filters)
      .where(sql<SqlBool>`${key} > (${anchor.occurred_at}, ${anchor.id})`)
      .orderBy('e.occurred_at', 'asc').orderBy('e.id', 'asc')
      .limit(pageSize + 1)
      .execute();
    // Fewer than a page of newer events: show the first page, so it is full.
    if (newer.length > pageSize) {
      const events = newer.slice(0, pageSize).reverse();
      return { events, newerThan: events[0]!.id, olderThan: events.at(-1)!.id };
    }
    return browseAudit(db, filters, {}, pageSize);
  }

  let query = filtered(db, filters);
  if (anchor) query = query.where(sql<SqlBool>`${key} < (${anchor.occurred_at}, ${anchor.id})`);
  const rows = await query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').limit(pageSize + 1).execute();
  const events = rows.slice(0, pageSize);
  return {
    events,
    newerThan: anchor && events.length ? events[0]!.id : null,
    olderThan: rows.length > pageSize ? events.at(-1)!.id : null,
  };
}
