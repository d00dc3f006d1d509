import type { DbOrTx } from '#db/client';
import { formatQuantity } from '~/modules/contracts/figures';
import { bookTransaction } from './ledger.server';

// Earned credits (docs/credits.md): when an approved return takes a commitment
// past its target, the value this approval added beyond the target is banked on
// the contract's balance, in the approval's own database transaction. The
// return's approval is the approval; its officer is the one who approved it.

export interface SurplusBooking {
  contractId: string;
  returnId: string;
  /** "ML-01 Local people employed" */
  commitmentLabel: string;
  /** "Q2 2026-27", or the return's dates */
  periodLabel: string;
  unit: string;
  /** Thousandths of a unit beyond the target that this approval added. */
  addedMilli: number;
  /** Its value in pence (valueOfQuantity at the commitment's proxy). */
  addedValuePence: number;
  approvedBy: string;
  at?: string;
}

export function surplusReason(b: Pick<SurplusBooking, 'addedMilli' | 'unit' | 'commitmentLabel' | 'periodLabel'>): string {
  return `Delivered ${formatQuantity(b.addedMilli, b.unit)} beyond the target of commitment ${b.commitmentLabel} (return for ${b.periodLabel})`;
}

/**
 * Books an 'earned' transaction (Dr balance, Cr earned) for a surplus; null
 * when there is no value to bank (a surplus worth less than half a penny).
 * Call it inside the approval's transaction: a refusal rolls the approval back.
 */
export async function bankSurplus(tx: DbOrTx, b: SurplusBooking): Promise<string | null> {
  if (!Number.isSafeInteger(b.addedValuePence) || b.addedValuePence <= 0) return null;
  return bookTransaction(tx, {
    contractId: b.contractId,
    kind: 'earned',
    sourceType: 'progress_return',
    sourceId: b.returnId,
    reason: surplusReason(b),
    approvedBy: b.approvedBy,
    at: b.at,
    postings: [
      { kind: 'balance', amountPence: b.addedValuePence },
      { kind: 'earned', amountPence: -b.addedValuePence },
    ],
  });
}
