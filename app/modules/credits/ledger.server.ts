import type { DbOrTx } from '#db/client';
import type { LedgerAccountKind, LedgerSourceType, LedgerTransactionKind } from '#db/schema';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// The one way to write to the credits ledger (ADR 0013). The schema refuses an
// unbalanced transaction, an overdrawn account, a second booking of the same
// decision, and any update or delete; this module turns those refusals into
// LedgerError so a service can answer with a clear message.

/** Debit-normal accounts; the others are credit-normal. */
export const DEBIT_NORMAL: readonly LedgerAccountKind[] = ['balance', 'substituted', 'expired'];

export interface PostingInput {
  kind: LedgerAccountKind;
  /** Required for 'substituted' and 'substitute' accounts, which belong to one commitment. */
  commitmentId?: string | null;
  /** Signed pence: a debit is positive, a credit negative. */
  amountPence: number;
}

export interface BookingInput {
  contractId: string;
  kind: LedgerTransactionKind;
  sourceType: LedgerSourceType;
  sourceId: string;
  reason: string;
  /** The officer whose approval this books (null only for expiry by policy). */
  approvedBy: string | null;
  reversesId?: string | null;
  postings: PostingInput[];
  at?: string;
}

export type LedgerErrorCode = 'insufficient-balance' | 'already-booked' | 'unbalanced';

export class LedgerError extends Error {
  constructor(readonly code: LedgerErrorCode, message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** The account's id, opening it on first use. */
export async function accountFor(tx: DbOrTx, contractId: string, kind: LedgerAccountKind, commitmentId: string | null = null): Promise<string> {
  let query = tx.selectFrom('ledger_account').select('id').where('contract_id', '=', contractId).where('kind', '=', kind);
  query = commitmentId ? query.where('commitment_id', '=', commitmentId) : query.where('commitment_id', 'is', null);
  const found = await query.executeTakeFirst();
  if (found) return found.id;
  const id = newId();
  await tx.insertInto('ledger_account').values({ id, contract_id: contractId, kind, commitment_id: commitmentId, created_at: nowIso() }).execute();
  return id;
}

/**
 * Books one balanced transaction in the caller's database transaction: the
 * postings first, then the row that seals them. Throws LedgerError when the
 * schema refuses it; the caller's transaction then rolls back whole.
 */
export async function bookTransaction(tx: DbOrTx, input: BookingInput): Promise<string> {
  const sum = input.postings.reduce((total, p) => total + p.amountPence, 0);
  if (input.postings.length < 2 || sum !== 0 || input.postings.some((p) => !Number.isSafeInteger(p.amountPence) || p.amountPence === 0)) {
    throw new LedgerError('unbalanced', 'A ledger transaction needs two or more non-zero postings that sum to zero');
  }
  const id = newId();
  try {
    for (const posting of input.postings) {
      const accountId = await accountFor(tx, input.contractId, posting.kind, posting.commitmentId ?? null);
      await tx.insertInto('ledger_posting').values({ transaction_id: id, account_id: accountId, amount_pence: posting.amountPence }).execute();
    }
    await tx.insertInto('ledger_transaction').values({
      id, contract_id: input.contractId, kind: input.kind, source_type: input.sourceType, source_id: input.sourceId,
      reverses_id: input.reversesId ?? null, reason: input.reason, approved_by: input.approvedBy, booked_at: input.at ?? nowIso(),
    }).execute();
  } catch (error) {
    throw translate(error);
  }
  return id;
}

function translate(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (message.includes('balance_pence >= 0')) return new LedgerError('insufficient-balance', 'There are not enough credits on the contract\u2019s balance for this');
  if (message.includes('UNIQUE constraint failed: ledger_transaction')) return new LedgerError('already-booked', 'This decision is already booked in the ledger');
  if (message.includes('must balance')) return new LedgerError('unbalanced', message);
  return error;
}

/** The contract's credit balance in pence (credits it holds and may spend). */
export async function contractBalance(db: DbOrTx, contractId: string): Promise<number> {
  const row = await db.selectFrom('ledger_account').select('balance_pence')
    .where('contract_id', '=', contractId).where('kind', '=', 'balance').where('commitment_id', 'is', null).executeTakeFirst();
  return row?.balance_pence ?? 0;
}
