import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { addDays, DUE_SOON_DAYS, periodContaining, periodsBetween, RETURN_GRACE_DAYS, returnDueDate, type Period, type ReportingPeriod } from './periods';

// Which progress returns a supplier owes: for each commitment of an active
// contract, each reporting period from the contract's start to the period
// holding the earliest of today, the commitment's due date and the contract's
// end date, whose return is due (period end + RETURN_GRACE_DAYS) within
// DUE_SOON_DAYS of today and has not been sent.
//
// A period counts as reported when a return for the commitment that was
// submitted, approved or sent back for more information overlaps it (so
// returns made under an earlier reporting period keep covering their dates
// after an admin changes the setting). A draft does not count, nor does a
// rejected return: the contractor has to send a new one.
//
// Two queries however many commitments there are; the periods are worked out here.

export type DueState = 'overdue' | 'due_soon';

export interface DueReturn {
  commitmentId: string;
  measureCode: string;
  measureTitle: string;
  contractId: string;
  contractReference: string;
  supplierId: string;
  period: Period;
  /** YYYY-MM-DD: the period's end plus the grace days. */
  dueDate: string;
  state: DueState;
  /** The contractor's draft for this commitment and period, if there is one. */
  draftId: string | null;
}

/** The most returns listed in one answer; `total` still counts them all. */
export const DUE_RETURNS_LIMIT = 200;

const REPORTED = new Set(['submitted', 'approved', 'more_info_requested']);

interface Options {
  /** One supplier's returns; every supplier's when left out. */
  supplierId?: string;
  /** YYYY-MM-DD, in the UK. */
  today: string;
  period: ReportingPeriod;
  limit?: number;
}

export async function dueReturns(db: DbOrTx, { supplierId, today, period, limit = DUE_RETURNS_LIMIT }: Options): Promise<{ items: DueReturn[]; total: number }> {
  let commitmentsQuery = db
    .selectFrom('commitment')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .innerJoin('measure', 'measure.id', 'commitment.measure_id')
    .select([
      'commitment.id as commitmentId', 'commitment.due_date as commitmentDue', 'measure.code as measureCode', 'measure.title as measureTitle',
      'contract.id as contractId', 'contract.reference as contractReference', 'contract.supplier_id as supplierId',
      'contract.start_date as contractStart', 'contract.end_date as contractEnd',
    ])
    .where('contract.status', '=', 'active');
  if (supplierId !== undefined) commitmentsQuery = commitmentsQuery.where('contract.supplier_id', '=', supplierId);
  const commitments = await commitmentsQuery.execute();
  if (commitments.length === 0) return { items: [], total: 0 };

  let returnsQuery = db
    .selectFrom('progress_return')
    .innerJoin('commitment', 'commitment.id', 'progress_return.commitment_id')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['progress_return.id', 'progress_return.commitment_id', 'progress_return.status', 'progress_return.period_start', 'progress_return.period_end'])
    .where('contract.status', '=', 'active')
    .where('progress_return.status', '!=', 'rejected');
  if (supplierId !== undefined) returnsQuery = returnsQuery.where('contract.supplier_id', '=', supplierId);
  const returnsByCommitment = new Map<string, Array<{ id: string; status: string; period_start: string; period_end: string }>>();
  for (const r of await returnsQuery.execute()) {
    const list = returnsByCommitment.get(r.commitment_id) ?? [];
    list.push(r);
    returnsByCommitment.set(r.commitment_id, list);
  }

  const dueBy = addDays(today, DUE_SOON_DAYS);
  const due: DueReturn[] = [];
  for (const c of commitments) {
    const last = [today, c.commitmentDue, c.contractEnd].sort()[0]!;
    const returns = returnsByCommitment.get(c.commitmentId) ?? [];
    for (const p of periodsBetween(period, c.contractStart, last)) {
      const dueDate = returnDueDate(p);
      if (dueDate > dueBy) continue;
      const overlapping = returns.filter((r) => r.period_start <= p.end && r.period_end >= p.start);
      if (overlapping.some((r) => REPORTED.has(r.status))) continue;
      // A draft for exactly this period first; else one that overlaps it (made under another reporting period).
      const draft = overlapping.find((r) => r.period_start === p.start) ?? overlapping[0];
      due.push({
        commitmentId: c.commitmentId, measureCode: c.measureCode, measureTitle: c.measureTitle,
        contractId: c.contractId, contractReference: c.contractReference, supplierId: c.supplierId,
        period: p, dueDate, state: dueDate < today ? 'overdue' : 'due_soon', draftId: draft?.id ?? null,
      });
    }
  }
  due.sort(byUrgency);
  return { items: due.slice(0, limit), total: due.length };
}

/** Overdue before due soon; then the earliest due date, contract and measure. */
function byUrgency(a: Omit<DueReturn, 'draftId'>, b: Omit<DueReturn, 'draftId'>): number {
  if (a.state !== b.state) return a.state === 'overdue' ? -1 : 1;
  return a.dueDate.localeCompare(b.dueDate)
    || a.contractReference.localeCompare(b.contractReference)
    || a.measureCode.localeCompare(b.measureCode)
    || a.commitmentId.localeCompare(b.commitmentId);
}

/** A return overdue today (as dueReturns lists it, without the draft). */
export type OverdueReturn = Omit<DueReturn, 'draftId' | 'state'> & { state: 'overdue' };

const MONTHS: Record<ReportingPeriod, number> = { monthly: 1, quarterly: 3, 'half-yearly': 6, annual: 12 };

/** SQL for the index of the reporting period holding a YYYY-MM-DD date: months since April of year 0, ÷ the period's length. */
const periodIndex = (date: ReturnType<typeof sql>, months: number) =>
  sql<number>`((CAST(substr(${date}, 1, 4) AS INTEGER) * 12 + CAST(substr(${date}, 6, 2) AS INTEGER) - 4) / ${sql.lit(months)})`;

/** The reporting period with that index. */
function periodAt(kind: ReportingPeriod, index: number): Period {
  const month = index * MONTHS[kind] + 3;
  return periodContaining(kind, `${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}-01`);
}

/**
 * Every supplier's overdue returns today: how many, and the `listed` most
 * overdue (in dueReturns' order). The same answer as filtering dueReturns'
 * items to the overdue ones (a test checks it), worked out in SQL without
 * reading each return: a commitment's periods are numbered, each reported
 * return covers the numbers from its start's period to its end's, and what is
 * overdue is the gaps between them, from the contract's start to the last
 * period due before today (and not after the commitment's due date or the
 * contract's end).
 */
export async function overdueReturns(db: DbOrTx, { today, period, listed }: { today: string; period: ReportingPeriod; listed: number }): Promise<{ count: number; items: OverdueReturn[] }> {
  const months = MONTHS[period];
  // A period is overdue when its due date (end + grace days) is before today: when it ends before `cutoff`.
  const cutoff = addDays(today, -RETURN_GRACE_DAYS);
  const last = sql`min(${today}, commitment.due_date, contract.end_date)`;
  const { rows } = await sql<{ commitmentId: string; measureCode: string; measureTitle: string; contractId: string; contractReference: string; supplierId: string; first: number; last: number; total: number }>`
    WITH cm AS MATERIALIZED (
      SELECT commitment.id AS c, ${periodIndex(sql`contract.start_date`, months)} AS lo,
             min(${periodIndex(last, months)}, ${periodIndex(sql`${cutoff}`, months)} - 1) AS hi
      FROM commitment JOIN contract ON contract.id = commitment.contract_id
      WHERE contract.status = 'active' AND ${last} >= contract.start_date
    ),
    -- Reported returns in each commitment's order (an index-only scan, no sort), with the
    -- furthest period number reached by the returns before each one.
    runs AS (
      SELECT commitment_id AS c, ${periodIndex(sql`period_start`, months)} AS a, ${periodIndex(sql`period_end`, months)} AS b,
             max(${periodIndex(sql`period_end`, months)}) OVER (PARTITION BY commitment_id ORDER BY period_start ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM progress_return WHERE status IN ('submitted', 'approved', 'more_info_requested')
    ),
    breaks AS MATERIALIZED (SELECT c, a, reached FROM runs WHERE reached IS NULL OR a > reached + 1),
    tops AS (
      SELECT commitment_id AS c, max(${periodIndex(sql`period_end`, months)}) AS top
      FROM progress_return WHERE status IN ('submitted', 'approved', 'more_info_requested') GROUP BY commitment_id
    ),
    gaps AS MATERIALIZED (
      -- Before each return: from the contract's first period, or the one after those reached.
      SELECT breaks.c, max(cm.lo, coalesce(breaks.reached + 1, cm.lo)) AS first, min(cm.hi, breaks.a - 1) AS last
      FROM breaks JOIN cm ON cm.c = breaks.c
      WHERE min(cm.hi, breaks.a - 1) >= max(cm.lo, coalesce(breaks.reached + 1, cm.lo))
      UNION ALL
      -- After the last return (or every period, when there is none).
      SELECT cm.c, max(cm.lo, coalesce(tops.top + 1, cm.lo)), cm.hi
      FROM cm LEFT JOIN tops ON tops.c = cm.c
      WHERE cm.hi >= max(cm.lo, coalesce(tops.top + 1, cm.lo))
    )
    SELECT gaps.c AS commitmentId, measure.code AS measureCode, measure.title AS measureTitle, contract.id AS contractId,
           contract.reference AS contractReference, contract.supplier_id AS supplierId, gaps.first, gaps.last,
           (SELECT sum(last - first + 1) FROM gaps) AS total
    FROM gaps
    JOIN commitment ON commitment.id = gaps.c JOIN contract ON contract.id = commitment.contract_id JOIN measure ON measure.id = commitment.measure_id
    WHERE gaps.first <= coalesce((SELECT first FROM gaps ORDER BY first LIMIT 1 OFFSET ${Math.max(0, listed - 1)}), gaps.first)
  `.execute(db);
  const candidates: OverdueReturn[] = [];
  for (const { first, last: end, total: _total, ...gap } of rows) {
    for (let i = first; i <= Math.min(end, first + listed - 1); i += 1) {
      const p = periodAt(period, i);
      candidates.push({ ...gap, period: p, dueDate: returnDueDate(p), state: 'overdue' });
    }
  }
  candidates.sort(byUrgency);
  return { count: Number(rows[0]?.total ?? 0), items: candidates.slice(0, listed) };
}
