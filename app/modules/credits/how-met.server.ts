import type { DbOrTx } from '#db/client';
import { periodLabel } from '~/modules/returns/returns.present';
import { reversedSources } from './ledger.queries.server';

// How each commitment of a contract was met (issue #5, "Views"): what was
// delivered (approved returns), what was substituted and by what (approved
// swaps: credits, or another measure), when and approved by whom, and what
// the commitment took on as the other side of another commitment's swap.
// A swap whose ledger transaction was reversed is listed as reversed.

export interface DeliveredEntry {
  returnId: string;
  period: string;
  quantityMilli: number;
  decidedAt: string | null;
  decidedByName: string | null;
}

export interface SwapEntry {
  swapId: string;
  method: 'credits' | 'measure';
  quantityMilli: number;
  valuePence: number;
  /** For a measure swap: the commitment (and measure) that took it on; for 'taken on': the commitment swapped out. */
  otherCommitmentId: string | null;
  otherMeasure: string | null;
  otherQuantityMilli: number | null;
  otherUnit: string | null;
  decidedAt: string | null;
  decidedByName: string | null;
  reversed: boolean;
}

export interface HowMet {
  delivered: DeliveredEntry[];
  substitutedBy: SwapEntry[];
  takenOn: SwapEntry[];
}

const empty = (): HowMet => ({ delivered: [], substitutedBy: [], takenOn: [] });

/** Every commitment of the contract that has anything to show, by commitment id. */
export async function howCommitmentsWereMet(db: DbOrTx, contractId: string): Promise<Map<string, HowMet>> {
  const [returns, swaps] = await Promise.all([
    db.selectFrom('progress_return as r').leftJoin('user as u', 'u.id', 'r.decided_by')
      .select(['r.id', 'r.commitment_id as commitmentId', 'r.period_start as periodStart', 'r.period_end as periodEnd', 'r.approved_quantity_milli as quantityMilli', 'r.decided_at as decidedAt', 'u.name as decidedByName'])
      .where('r.contract_id', '=', contractId).where('r.status', '=', 'approved')
      .orderBy('r.period_start').orderBy('r.decided_at').execute(),
    db.selectFrom('credit_swap as s')
      .innerJoin('commitment as a', 'a.id', 's.commitment_id').innerJoin('measure as am', 'am.id', 'a.measure_id')
      .leftJoin('commitment as b', 'b.id', 's.to_commitment_id').leftJoin('measure as bm', 'bm.id', 's.to_measure_id')
      .leftJoin('user as u', 'u.id', 's.decided_by')
      .select([
        's.id', 's.method', 's.commitment_id as commitmentId', 's.quantity_milli as quantityMilli', 's.value_pence as valuePence',
        's.to_commitment_id as toCommitmentId', 's.to_quantity_milli as toQuantityMilli', 's.decided_at as decidedAt', 'u.name as decidedByName',
        'am.code as fromCode', 'am.title as fromTitle', 'am.unit as fromUnit', 'bm.code as toCode', 'bm.title as toTitle', 'bm.unit as toUnit',
      ])
      .where('s.contract_id', '=', contractId).where('s.status', '=', 'approved')
      .orderBy('s.decided_at').orderBy('s.id').execute(),
  ]);
  const reversed = await reversedSources(db, 'credit_swap', swaps.map((s) => s.id));
  const result = new Map<string, HowMet>();
  const entry = (id: string) => {
    const found = result.get(id) ?? empty();
    result.set(id, found);
    return found;
  };
  for (const r of returns) {
    if (r.quantityMilli === null || r.quantityMilli === 0) continue;
    entry(r.commitmentId).delivered.push({ returnId: r.id, period: periodLabel(r.periodStart, r.periodEnd), quantityMilli: r.quantityMilli, decidedAt: r.decidedAt, decidedByName: r.decidedByName });
  }
  for (const s of swaps) {
    const common = { swapId: s.id, method: s.method, valuePence: s.valuePence, decidedAt: s.decidedAt, decidedByName: s.decidedByName, reversed: reversed.has(s.id) };
    entry(s.commitmentId).substitutedBy.push({
      ...common, quantityMilli: s.quantityMilli, otherCommitmentId: s.toCommitmentId,
      otherMeasure: s.toCode ? `${s.toCode} ${s.toTitle}` : null, otherQuantityMilli: s.toQuantityMilli, otherUnit: s.toUnit,
    });
    if (s.toCommitmentId) {
      entry(s.toCommitmentId).takenOn.push({
        ...common, quantityMilli: s.toQuantityMilli ?? 0, otherCommitmentId: s.commitmentId,
        otherMeasure: `${s.fromCode} ${s.fromTitle}`, otherQuantityMilli: s.quantityMilli, otherUnit: s.fromUnit,
      });
    }
  }
  return result;
}
