import type { LedgerTransactionKind } from '#db/schema';

// How the annual report names each kind of ledger transaction (shared by server and page).
export const LEDGER_KINDS: readonly LedgerTransactionKind[] = ['earned', 'claim', 'swap', 'expiry', 'reversal'];
export const LEDGER_KIND_LABELS: Record<LedgerTransactionKind, string> = {
  earned: 'Earned by delivering beyond a commitment',
  claim: 'Awarded on approved claims',
  swap: 'Spent on swaps',
  expiry: 'Expired',
  reversal: 'Reversed (corrections)',
};
