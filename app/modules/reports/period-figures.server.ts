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

/** A period that holds every date: the contract pages' "to date" figures. */
export const ALL_TIME: Pick<ReportPeriod, 'start' | 'end'> = { start: '0000-01-01', end: '9999-12-31' };

interface RawRow extends Omit<CommitmentPeriodFigures, 'remainingMilli'> {
  remainingMilli: number;
}

export async function commitmentPeriodFigures(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<CommitmentPeriodFigures[]> {
  const { start, end } = period;
  // Every "YYYY-MM-DDT…" time on the last day sorts before "YYYY-MM-DDU".
  const to = `${end}U`;
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
             sum(CASE WHEN decided_at >= ${start} THEN quantity_milli ELSE 0 END) AS in_period,
             sum(quantity_milli) AS to_end
      FROM credit_swap
      WHERE status = 'approved' AND decided_at < ${to}
      GROUP BY commitment_id
    ),
    substituted AS (
      SELECT la.commitment_id,
             sum(CASE WHEN t.booked_at >= ${start} THEN p.amount_pence ELSE 0 END) AS in_period,
             sum(p.amount_pence) AS to_end
      FROM ledger_account la
      JOIN ledger_posting p ON p.account_id = la.id
      JOIN ledger_transaction t ON t.id = p.transaction_id
      WHERE la.kind = 'substituted' AND t.booked_at < ${to}
      GROUP BY la.commitment_id
    ),
    figures AS (
      SELECT cm.id AS commitmentId, c.id AS contractId, c.reference AS contractReference, c.title AS contractTitle,
             c.supplier_id AS supplierId, s.name AS supplierName,
             m.id AS measureId, m.code AS measureCode, m.title AS measureTitle, m.unit AS unit, m.theme AS theme,
             cm.ward_id AS wardId, w.name AS wardName,
             cm.target_milli AS targetMilli, cm.proxy_value_pence AS proxy,
             coalesce(d.in_period, 0) AS deliveredMilli, coalesce(d.to_end, 0) AS deliveredToEnd,
             coalesce(x.in_period, 0) AS substitutedMilli, coalesce(x.to_end, 0) AS substitutedMilliToEnd,
             coalesce(l.in_period, 0) AS substitutedPence, coalesce(l.to_end, 0) AS substitutedPenceToEnd
      FROM commitment cm
      JOIN contract c ON c.id = cm.contract_id
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
    ORDER BY contractReference, measureCode, commitmentId
  `.execute(db);
  return result.rows;
}
