import type { LedgerAccountKind, LedgerSourceType, LedgerTransactionKind } from '#db/schema';
import { formatPence } from '~/modules/contracts/figures';
import { formatDateTime } from '~/utils/time';
import type { LedgerTransactionView } from './ledger.queries.server';

// The ledger as pages and the CSV say it. Pure: no server imports (types only).

export const ACCOUNT_LABELS: Record<LedgerAccountKind, string> = {
  balance: 'Credit balance',
  earned: 'Credits earned (delivery beyond targets)',
  claimed: 'Credits claimed',
  substituted: 'Value substituted on commitments',
  substitute: 'Value taken on by commitments in swaps',
  expired: 'Credits expired',
};

export const TRANSACTION_LABELS: Record<LedgerTransactionKind, string> = {
  earned: 'Credits earned',
  claim: 'Claim approved',
  swap: 'Swap approved',
  expiry: 'Credits expired',
  reversal: 'Reversal',
};

export const SOURCE_LABELS: Record<LedgerSourceType, string> = {
  progress_return: 'View the return',
  credit_claim: 'View the claim',
  credit_swap: 'View the swap',
  contract: 'View the contract',
  ledger_transaction: 'View the reversed transaction',
};

export function accountLabel(kind: LedgerAccountKind, commitmentLabel: string | null): string {
  return commitmentLabel ? `${ACCOUNT_LABELS[kind]}: ${commitmentLabel}` : ACCOUNT_LABELS[kind];
}

export function presentTransaction(t: LedgerTransactionView, canReverse: boolean) {
  const change = t.balanceChangePence;
  return {
    id: t.id,
    title: `${TRANSACTION_LABELS[t.kind]}${change !== 0 ? `: ${change > 0 ? '+' : '\u2212'}${formatPence(Math.abs(change))}` : ''}`,
    reason: t.reason,
    booked: formatDateTime(t.bookedAt),
    approvedBy: t.approvedByName,
    sourceHref: sourceHref(t),
    sourceLabel: SOURCE_LABELS[t.sourceType],
    reversedNote: t.reversedBy ? `Reversed ${formatDateTime(t.reversedBy.bookedAt)}${t.reversedBy.byName ? ` by ${t.reversedBy.byName}` : ''}: ${t.reversedBy.reason}` : null,
    reverseHref: canReverse && t.kind !== 'reversal' && !t.reversedBy ? `/credits/transactions/${t.id}/reverse` : null,
    postings: t.postings.map((p, i) => ({
      key: `${t.id}-${i}`,
      account: accountLabel(p.accountKind, p.commitmentLabel),
      debit: p.amountPence > 0 ? formatPence(p.amountPence) : '',
      credit: p.amountPence < 0 ? formatPence(-p.amountPence) : '',
    })),
  };
}

export type PresentedTransaction = ReturnType<typeof presentTransaction>;

/** Where a transaction's source is shown in the portal, if anywhere. */
export function sourceHref(t: Pick<LedgerTransactionView, 'sourceType' | 'sourceId' | 'contractId'>): string | null {
  switch (t.sourceType) {
    case 'progress_return':
      return `/returns/${t.sourceId}`;
    case 'credit_claim':
      return `/credits/claims/${t.sourceId}`;
    case 'credit_swap':
      return `/credits/swaps/${t.sourceId}`;
    case 'contract':
      return `/contracts/${t.contractId}`;
    case 'ledger_transaction':
      return `/contracts/${t.contractId}/ledger#transaction-${t.sourceId}`;
  }
}
