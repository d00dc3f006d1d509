import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { largestFirst, NO_WARD, type BreakdownRow, type CommitmentPeriodFigures, type Dimension, type PlainBreakdownRow, type Totals } from './breakdowns';
import type { ReportPeriod } from './period';

// Every report's figures come from these per-commitment values (docs/reporting.md):
//
//   in scope     commitments of contracts in force at any time in the period
//                (contract start ≤ period end and contract end ≥ period start)
//   committed    round(target × proxy ÷ 1000)
//   delivered    round(Σ approved quantity of approved returns whose period
//                ends inside the period × proxy ÷ 1000)
//   substituted  Σ postings on the commitment's 'substituted' ledger account
//                (its approved swaps, less any reversal) booked inside the period
//   remaining    max(0, committed − round(delivered up to the period's end × proxy ÷ 1000)
//                              − substituted booked up to the period's end)
//
// Values are worked out per commitment with the same SQL as the contract page
// (app/modules/contracts/contract-figures.server.ts: (x × proxy + 500) / 1000,
// integer division, half up; substituted from the ledger), then summed. So for
// a period that holds every return and booking, each figure equals the
// contract page's. Quantities substituted come from the approved swaps
// (credit_swap, decided inside the period), as the ledger holds only £.
// A time (booked_at, decided_at) is inside the period when its UTC date is.
// The substituted sums read ledger_substituted_day, the ledger's postings on
// 'substituted' accounts summed by UTC booking day (kept by a trigger in the
// booking's transaction: migration 0010, decision 0024), not the postings.
//
// commitmentPeriodFigures returns one row per commitment (the public page and
// the newsletter use them); periodBreakdownRows sums the same values in SQL
// by theme, measure, ward, supplier and contract (the dashboard, CSVs and the
// annual report), which sends about a tenth of the rows to JavaScript.

/** A period that holds every date: the contract pages' "to date" figures. */
export const ALL_TIME: Pick<ReportPeriod, 'start' | 'end'> = { start: '0000-01-01', end: '9999-12-31' };

interface RawRow extends Omit<CommitmentPeriodFigures, 'remainingMilli'> {
  remainingMilli: number;
}

/**
 * The three per-commitment sums over history (each an index-only scan, or a
 * scan of the ledger's day-by-day summary: migration 0010), as CTEs named
 * delivered, swapped and substituted, each with in_period and to_end.
 */
function historySums({ start, end }: Pick<ReportPeriod, 'start' | 'end'>) {
  // Every "YYYY-MM-DDT…" time on the last day sorts before "YYYY-MM-DDU".
  const to = `${end}U`;
  return sql`
    delivered AS (
      SELECT commitment_id,
             sum(CASE WHEN period_end >= ${start} THEN approved_quantity_milli ELSE 0 END) AS in_period,
             sum(approved_quantity_milli) AS to_end
      FROM progress_return
      WHERE status = 'approved' AND period_end <= ${end}
      GROUP BY commitment_id
    ),
    swapped AS (
      SELECT commitment_id,
             sum(CASE WHEN decided_at >= ${start} THEN quantity_milli ELSE 0 END) AS in_period,
             sum(quantity_milli) AS to_end
      FROM credit_swap
      WHERE status = 'approved' AND decided_at < ${to}
      GROUP BY commitment_id
    ),
    substituted AS (
      SELECT commitment_id,
             sum(CASE WHEN booked_on >= ${start} THEN amount_pence ELSE 0 END) AS in_period,
             sum(amount_pence) AS to_end
      FROM ledger_substituted_day
      WHERE booked_on <= ${end}
      GROUP BY commitment_id
    )`;
}

export async function commitmentPeriodFigures(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<CommitmentPeriodFigures[]> {
  const { start, end } = period;
  const result = await sql<RawRow>`
    WITH ${historySums(period)},
    figures AS (
      SELECT cm.id AS commitmentId, c.id AS contractId, c.reference AS contractReference, c.title AS contractTitle,
             c.supplier_id AS supplierId, s.name AS supplierName,
             m.id AS measureId, m.code AS measureCode, m.title AS measureTitle, m.unit AS unit, m.theme AS theme,
             cm.ward_id AS wardId, w.name AS wardName,
             cm.target_milli AS targetMilli, cm.proxy_value_pence AS proxy,
             coalesce(d.in_period, 0) AS deliveredMilli, coalesce(d.to_end, 0) AS deliveredToEnd,
             coalesce(x.in_period, 0) AS substitutedMilli, coalesce(x.to_end, 0) AS substitutedMilliToEnd,
             coalesce(l.in_period, 0) AS substitutedPence, coalesce(l.to_end, 0) AS substitutedPenceToEnd
      FROM contract c
      CROSS JOIN commitment cm ON cm.contract_id = c.id
      JOIN organisation s ON s.id = c.supplier_id
      JOIN measure m ON m.id = cm.measure_id
      LEFT JOIN ward w ON w.id = cm.ward_id
      LEFT JOIN delivered d ON d.commitment_id = cm.id
      LEFT JOIN swapped x ON x.commitment_id = cm.id
      LEFT JOIN substituted l ON l.commitment_id = cm.id
      WHERE c.start_date <= ${end} AND c.end_date >= ${start}
    )
    SELECT commitmentId, contractId, contractReference, contractTitle, supplierId, supplierName,
           measureId, measureCode, measureTitle, unit, theme, wardId, wardName,
           targetMilli, deliveredMilli, substitutedMilli,
           max(0, targetMilli - deliveredToEnd - substitutedMilliToEnd) AS remainingMilli,
           (targetMilli * proxy + 500) / 1000 AS committedPence,
           (deliveredMilli * proxy + 500) / 1000 AS deliveredPence,
           substitutedPence,
           max(0, (targetMilli * proxy + 500) / 1000 - (deliveredToEnd * proxy + 500) / 1000 - substitutedPenceToEnd) AS remainingPence
    FROM figures
  `.execute(db);
  return result.rows;
}

/** historySums and `f`: each in-scope commitment's keys and rounded values (the same arithmetic as commitmentPeriodFigures). */
function perCommitment(period: Pick<ReportPeriod, 'start' | 'end'>) {
  const { start, end } = period;
  return sql`${historySums(period)},
    f AS MATERIALIZED (
      SELECT c.id AS contract_id, c.supplier_id, cm.measure_id, cm.ward_id, m.theme,
             cm.target_milli AS t, coalesce(d.in_period, 0) AS dm, coalesce(x.in_period, 0) AS sm,
             max(0, cm.target_milli - coalesce(d.to_end, 0) - coalesce(x.to_end, 0)) AS rm,
             (cm.target_milli * cm.proxy_value_pence + 500) / 1000 AS cp,
             (coalesce(d.in_period, 0) * cm.proxy_value_pence + 500) / 1000 AS dp,
             coalesce(l.in_period, 0) AS sp,
             max(0, (cm.target_milli * cm.proxy_value_pence + 500) / 1000
                    - (coalesce(d.to_end, 0) * cm.proxy_value_pence + 500) / 1000 - coalesce(l.to_end, 0)) AS rp
      FROM contract c
      CROSS JOIN commitment cm ON cm.contract_id = c.id
      JOIN measure m ON m.id = cm.measure_id
      LEFT JOIN delivered d ON d.commitment_id = cm.id
      LEFT JOIN swapped x ON x.commitment_id = cm.id
      LEFT JOIN substituted l ON l.commitment_id = cm.id
      WHERE c.start_date <= ${end} AND c.end_date >= ${start}
    )`;
}

interface GroupRow {
  dimension: Dimension;
  key: string | null;
  label: string | null;
  title: string | null;
  unit: string | null;
  commitments: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
  targetMilli: number;
  deliveredMilli: number;
  substitutedMilli: number;
  remainingMilli: number;
}

/**
 * The period's totals and every breakdown, summed in SQL from the same
 * per-commitment values as commitmentPeriodFigures (so each row equals
 * `plain(breakdown(commitmentPeriodFigures(…), dimension))`'s: a test checks
 * it), without sending a row per commitment to JavaScript.
 */
export async function periodBreakdownRows(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<{ totals: Totals; breakdowns: Record<Dimension, PlainBreakdownRow[]> }> {
  const sums = sql`count(*) AS commitments, sum(cp) AS committedPence, sum(dp) AS deliveredPence, sum(sp) AS substitutedPence, sum(rp) AS remainingPence`;
  const noQuantities = sql`0 AS targetMilli, 0 AS deliveredMilli, 0 AS substitutedMilli, 0 AS remainingMilli`;
  const g = sql`g.commitments, g.committedPence, g.deliveredPence, g.substitutedPence, g.remainingPence, g.targetMilli, g.deliveredMilli, g.substitutedMilli, g.remainingMilli`;
  const { rows } = await sql<GroupRow>`
    WITH ${perCommitment(period)}
    SELECT 'theme' AS dimension, theme AS key, theme AS label, NULL AS title, NULL AS unit, ${sums}, ${noQuantities}
    FROM f GROUP BY theme
    UNION ALL
    SELECT 'measure', g.measure_id, m.code, m.title, m.unit, ${g} FROM (
      SELECT measure_id, ${sums}, sum(t) AS targetMilli, sum(dm) AS deliveredMilli, sum(sm) AS substitutedMilli, sum(rm) AS remainingMilli
      FROM f GROUP BY measure_id) g JOIN measure m ON m.id = g.measure_id
    UNION ALL
    SELECT 'ward', g.ward_id, w.name, NULL, NULL, ${g} FROM (
      SELECT ward_id, ${sums}, ${noQuantities} FROM f GROUP BY ward_id) g LEFT JOIN ward w ON w.id = g.ward_id
    UNION ALL
    SELECT 'supplier', g.supplier_id, s.name, NULL, NULL, ${g} FROM (
      SELECT supplier_id, ${sums}, ${noQuantities} FROM f GROUP BY supplier_id) g JOIN organisation s ON s.id = g.supplier_id
    UNION ALL
    SELECT 'contract', g.contract_id, c.reference, c.title, NULL, ${g} FROM (
      SELECT contract_id, ${sums}, ${noQuantities} FROM f GROUP BY contract_id) g JOIN contract c ON c.id = g.contract_id
  `.execute(db);
  return groupedBreakdowns(rows);
}

function groupedBreakdowns(rows: readonly GroupRow[]): { totals: Totals; breakdowns: Record<Dimension, PlainBreakdownRow[]> } {
  const breakdowns: Record<Dimension, PlainBreakdownRow[]> = { theme: [], measure: [], ward: [], supplier: [], contract: [] };
  const totals: Totals = { commitments: 0, committedPence: 0, deliveredPence: 0, substitutedPence: 0, remainingPence: 0 };
  for (const r of rows) {
    const money = {
      commitments: Number(r.commitments), committedPence: Number(r.committedPence), deliveredPence: Number(r.deliveredPence),
      substitutedPence: Number(r.substitutedPence), remainingPence: Number(r.remainingPence),
    };
    const key = r.key ?? '';
    let row: PlainBreakdownRow;
    switch (r.dimension) {
      case 'theme':
        row = { key, label: key, href: `/contracts?theme=${encodeURIComponent(key)}`, ...money };
        // Every commitment has one theme: the totals are the theme rows' sum.
        for (const k of ['commitments', 'committedPence', 'deliveredPence', 'substitutedPence', 'remainingPence'] as const) totals[k] += money[k];
        break;
      case 'measure':
        row = {
          key, label: `${r.label}: ${r.title}`, href: null, ...money, unit: r.unit ?? '',
          targetMilli: Number(r.targetMilli), deliveredMilli: Number(r.deliveredMilli), substitutedMilli: Number(r.substitutedMilli), remainingMilli: Number(r.remainingMilli),
        };
        break;
      case 'ward':
        row = r.key ? { key, label: r.label ?? key, href: `/contracts?ward=${encodeURIComponent(key)}`, ...money } : { key: '', label: NO_WARD, href: null, ...money };
        break;
      case 'supplier':
        row = { key, label: r.label ?? '', href: `/contracts?supplier=${encodeURIComponent(key)}`, ...money };
        break;
      case 'contract':
        row = { key, label: `${r.label}: ${r.title}`, href: `/contracts/${key}`, ...money };
        break;
    }
    breakdowns[r.dimension].push(row);
  }
  for (const list of Object.values(breakdowns)) list.sort(largestFirst);
  return { totals, breakdowns };
}

/**
 * The theme and ward breakdowns with each supplier's share (for the public
 * disclosure rule), summed in SQL by row and supplier: equal to
 * `breakdown(commitmentPeriodFigures(…), 'theme' | 'ward')` (a test checks it).
 */
export async function publicBreakdowns(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<Record<'theme' | 'ward', BreakdownRow[]>> {
  const { rows } = await sql<{ dimension: 'theme' | 'ward'; key: string | null; label: string | null; supplierId: string; commitments: number; cp: number; dp: number; sp: number; rp: number }>`
    WITH ${perCommitment(period)}
    SELECT 'theme' AS dimension, theme AS key, theme AS label, supplier_id AS supplierId, count(*) AS commitments, sum(cp) AS cp, sum(dp) AS dp, sum(sp) AS sp, sum(rp) AS rp
    FROM f GROUP BY theme, supplier_id
    UNION ALL
    SELECT 'ward', g.ward_id, w.name, g.supplier_id, g.n, g.cp, g.dp, g.sp, g.rp FROM (
      SELECT ward_id, supplier_id, count(*) AS n, sum(cp) AS cp, sum(dp) AS dp, sum(sp) AS sp, sum(rp) AS rp FROM f GROUP BY ward_id, supplier_id
    ) g LEFT JOIN ward w ON w.id = g.ward_id
  `.execute(db);
  const groups: Record<'theme' | 'ward', Map<string, BreakdownRow>> = { theme: new Map(), ward: new Map() };
  for (const r of rows) {
    const key = r.key ?? '';
    let row = groups[r.dimension].get(key);
    if (!row) {
      const where = r.dimension === 'theme'
        ? { key, label: key, href: `/contracts?theme=${encodeURIComponent(key)}` }
        : r.key ? { key, label: r.label ?? key, href: `/contracts?ward=${encodeURIComponent(key)}` } : { key: '', label: NO_WARD, href: null };
      row = { ...where, commitments: 0, committedPence: 0, deliveredPence: 0, substitutedPence: 0, remainingPence: 0, supplierIds: new Set(), supplierCommitted: new Map(), supplierDelivered: new Map() };
      groups[r.dimension].set(key, row);
    }
    row.commitments += Number(r.commitments);
    row.committedPence += Number(r.cp);
    row.deliveredPence += Number(r.dp);
    row.substitutedPence += Number(r.sp);
    row.remainingPence += Number(r.rp);
    row.supplierIds.add(r.supplierId);
    row.supplierCommitted.set(r.supplierId, Number(r.cp));
    row.supplierDelivered.set(r.supplierId, Number(r.dp) + Number(r.sp));
  }
  return { theme: [...groups.theme.values()].sort(largestFirst), ward: [...groups.ward.values()].sort(largestFirst) };
}
