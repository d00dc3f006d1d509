import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { CommitmentPeriodFigures } from './breakdowns';
import type { ReportPeriod } from './period';

// Every report's figures come from this one query (docs/reporting.md):
//
//   in scope     commitments of contracts in force at any time in the period
//                (contract start ≤ period end and contract end ≥ period start)
//   committed    round(target × proxy ÷ 1000)
//   delivered    round(Σ approved quantity of approved returns whose period
//                ends inside the period × proxy ÷ 1000)
//   substituted  round(Σ quantity of approved swaps decided (UTC date) inside
//                the period × proxy ÷ 1000)
//   remaining    max(0, committed − round(delivered up to the period's end × proxy ÷ 1000)
//                              − round(substituted up to the period's end × proxy ÷ 1000))
//
// Values are worked out per commitment with the same SQL rounding as
// app/modules/contracts/contract-figures.server.ts ((x × proxy + 500) / 1000,
// integer division, half up), then summed. So for a period that holds every
// return and swap, each figure equals the contract page's.

/** A period that holds every date: the contract pages' "to date" figures. */
export const ALL_TIME: Pick<ReportPeriod, 'start' | 'end'> = { start: '0000-01-01', end: '9999-12-31' };

interface RawRow extends Omit<CommitmentPeriodFigures, 'remainingMilli'> {
  remainingMilli: number;
}

export async function commitmentPeriodFigures(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<CommitmentPeriodFigures[]> {
  const { start, end } = period;
  const result = await sql<RawRow>`
    WITH delivered AS (
      SELECT commitment_id,
             sum(CASE WHEN period_end >= ${start} THEN approved_quantity_milli ELSE 0 END) AS in_period,
             sum(approved_quantity_milli) AS to_end
      FROM progress_return
      WHERE status = 'approved' AND period_end <= ${end}
      GROUP BY commitment_id
    ),
    swapped AS (
      SELECT commitment_id,
             sum(CASE WHEN substr(decided_at, 1, 10) >= ${start} THEN quantity_milli ELSE 0 END) AS in_period,
             sum(quantity_milli) AS to_end
      FROM credit_swap
      WHERE status = 'approved' AND substr(decided_at, 1, 10) <= ${end}
      GROUP BY commitment_id
    ),
    figures AS (
      SELECT cm.id AS commitmentId, c.id AS contractId, c.reference AS contractReference, c.title AS contractTitle,
             c.supplier_id AS supplierId, s.name AS supplierName,
             m.id AS measureId, m.code AS measureCode, m.title AS measureTitle, m.unit AS unit, m.theme AS theme,
             cm.ward_id AS wardId, w.name AS wardName,
             cm.target_milli AS targetMilli, cm.proxy_value_pence AS proxy,
             coalesce(d.in_period, 0) AS deliveredMilli, coalesce(d.to_end, 0) AS deliveredToEnd,
             coalesce(x.in_period, 0) AS substitutedMilli, coalesce(x.to_end, 0) AS substitutedToEnd
      FROM commitment cm
      JOIN contract c ON c.id = cm.contract_id
      JOIN organisation s ON s.id = c.supplier_id
      JOIN measure m ON m.id = cm.measure_id
      LEFT JOIN ward w ON w.id = cm.ward_id
      LEFT JOIN delivered d ON d.commitment_id = cm.id
      LEFT JOIN swapped x ON x.commitment_id = cm.id
      WHERE c.start_date <= ${end} AND c.end_date >= ${start}
    )
    SELECT commitmentId, contractId, contractReference, contractTitle, supplierId, supplierName,
           measureId, measureCode, measureTitle, unit, theme, wardId, wardName,
           targetMilli, deliveredMilli, substitutedMilli,
           max(0, targetMilli - deliveredToEnd - substitutedToEnd) AS remainingMilli,
           (targetMilli * proxy + 500) / 1000 AS committedPence,
           (deliveredMilli * proxy + 500) / 1000 AS deliveredPence,
           (substitutedMilli * proxy + 500) / 1000 AS substitutedPence,
           max(0, (targetMilli * proxy + 500) / 1000 - (deliveredToEnd * proxy + 500) / 1000 - (substitutedToEnd * proxy + 500) / 1000) AS remainingPence
    FROM figures
    ORDER BY contractReference, measureCode, commitmentId
  `.execute(db);
  return result.rows;
}
