import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { LedgerTransactionKind } from '#db/schema';
import { LEDGER_KINDS } from './ledger-labels';
import type { ReportPeriod } from './period';

// What happened in a period besides delivery: credits booked in the ledger,
// claims and swaps approved, wishlist needs met, stories published. A time
// (booked_at, decided_at, confirmed_at, published_at: ISO UTC) is in the period
// when its UTC date is. Definitions: docs/reporting.md.

type Span = Pick<ReportPeriod, 'start' | 'end'>;
/**
 * [from, to) bounds on ISO timestamps for a period of dates: every
 * "YYYY-MM-DDT…" of the last day sorts before "YYYY-MM-DDU", so the range uses
 * the time indexes and needs no date arithmetic (even for the all-time period).
 */
const bounds = ({ start, end }: Span) => ({ from: start, to: `${end}U` });

export interface LedgerLine { kind: LedgerTransactionKind; transactions: number; valuePence: number }

/**
 * Ledger transactions booked in the period, by kind: how many, and their value
 * (the sum of each one's debits). Read from the ledger's day-by-day summary
 * (ledger_kind_day, kept by a trigger on ledger_transaction: migration 0010).
 */
export async function ledgerSummary(db: DbOrTx, period: Span): Promise<LedgerLine[]> {
  const { rows } = await sql<{ kind: LedgerTransactionKind; n: number; value: number }>`
    SELECT kind, sum(transactions) AS n, sum(value_pence) AS value
    FROM ledger_kind_day
    WHERE booked_on >= ${period.start} AND booked_on <= ${period.end}
    GROUP BY kind`.execute(db);
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return LEDGER_KINDS.map((kind) => ({ kind, transactions: Number(byKind.get(kind)?.n ?? 0), valuePence: Number(byKind.get(kind)?.value ?? 0) }));
}

export interface Decisions { claims: number; claimedPence: number; creditSwaps: number; measureSwaps: number; swappedPence: number }

/** Claims and swaps approved (decided) in the period. */
export async function approvedClaimsAndSwaps(db: DbOrTx, period: Span): Promise<Decisions> {
  const { from, to } = bounds(period);
  const [claims, swaps] = await Promise.all([
    db.selectFrom('credit_claim').select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(approved_value_pence), 0)`.as('value')])
      .where('status', '=', 'approved').where('decided_at', '>=', from).where('decided_at', '<', to).executeTakeFirstOrThrow(),
    db.selectFrom('credit_swap').select([
      sql<number>`sum(method = 'credits')`.as('credits'), sql<number>`sum(method = 'measure')`.as('measure'), sql<number>`coalesce(sum(value_pence), 0)`.as('value'),
    ]).where('status', '=', 'approved').where('decided_at', '>=', from).where('decided_at', '<', to).executeTakeFirstOrThrow(),
  ]);
  return {
    claims: Number(claims.n), claimedPence: Number(claims.value),
    creditSwaps: Number(swaps.credits ?? 0), measureSwaps: Number(swaps.measure ?? 0), swappedPence: Number(swaps.value),
  };
}

export interface NeedsMet {
  /** Items fulfilled (or closed after being fulfilled) whose last confirmed pledge was confirmed in the period. */
  items: number;
  /** Confirmed pledges confirmed in the period: how many, their value, and from how many suppliers. */
  pledges: number;
  pledgedPence: number;
  /** Each supplier's confirmed value (for the public disclosure rule). */
  bySupplier: Map<string, number>;
}

export async function needsMet(db: DbOrTx, period: Span): Promise<NeedsMet> {
  const { from, to } = bounds(period);
  const [items, pledges] = await Promise.all([
    sql<{ n: number }>`
      SELECT count(*) AS n FROM (
        SELECT i.id, max(p.confirmed_at) AS last_confirmed
        FROM wishlist_item i JOIN pledge p ON p.item_id = i.id AND p.status = 'confirmed'
        WHERE i.status IN ('fulfilled', 'closed')
        GROUP BY i.id
      ) WHERE last_confirmed >= ${from} AND last_confirmed < ${to}`.execute(db),
    db.selectFrom('pledge').select(['supplier_id', sql<number>`count(*)`.as('n'), sql<number>`sum(value_pence)`.as('value')])
      .where('status', '=', 'confirmed').where('confirmed_at', '>=', from).where('confirmed_at', '<', to).groupBy('supplier_id').execute(),
  ]);
  return {
    items: Number(items.rows[0]?.n ?? 0),
    pledges: pledges.reduce((a, p) => a + Number(p.n), 0),
    pledgedPence: pledges.reduce((a, p) => a + Number(p.value), 0),
    bySupplier: new Map(pledges.map((p) => [p.supplier_id, Number(p.value)])),
  };
}

export interface StorySummary { id: string; title: string; excerpt: string; publishedAt: string }

export const EXCERPT_LENGTH = 220;

export function excerptOf(body: string, max = EXCERPT_LENGTH): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 30)).trimEnd()}…`;
}

/** Stories published in the period and still published, oldest first. */
export async function publishedStories(db: DbOrTx, period: Span): Promise<StorySummary[]> {
  const { from, to } = bounds(period);
  const rows = await db.selectFrom('story').select(['id', 'title', 'body', 'published_at'])
    .where('status', '=', 'published').where('published_at', '>=', from).where('published_at', '<', to)
    .orderBy('published_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, excerpt: excerptOf(r.body), publishedAt: r.published_at! }));
}
