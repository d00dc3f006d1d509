import type { Db, Tx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { can } from '~/auth/permissions';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { formatDate } from '~/utils/time';
import { bookTransaction, contractBalance, LedgerError } from './ledger.server';
import { findTransaction, type LedgerTransactionView } from './ledger.queries.server';

// Correcting the ledger (docs/credits.md, "Reversals"): an officer books the
// negated postings of a transaction, with a reason. Nothing is ever edited or
// deleted. A reversal is once only (unique reverses_id), is never itself
// reversed, never overdraws an account, and is refused on a closed contract. Reversing an approved swap also
// undoes what the approval did to the commitments, in the same transaction.

export const REVERSAL_REASON_MAX = 2000;

export type ReverseResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'forbidden'; message: string }
  | { ok: false; reason: 'conflict'; message: string }
  | { ok: false; reason: 'invalid'; field: 'reason'; message: string }
  | { ok: false; reason: 'refused'; message: string };

type Refusal = Exclude<ReverseResult, { ok: true }>;

/** Thrown inside the transaction so that nothing already written stays. */
class Refused extends Error {
  constructor(readonly result: Refusal) {
    super('refused');
  }
}

/** Why this transaction may not be reversed at all (before any reason is asked for), or null. */
export function cannotReverse(t: Pick<LedgerTransactionView, 'kind' | 'reversedBy'>): string | null {
  if (t.kind === 'reversal') return 'A reversal cannot itself be reversed. If it was a mistake, book the original decision again through its own process.';
  if (t.reversedBy) {
    const by = t.reversedBy.byName ? ` by ${t.reversedBy.byName}` : '';
    return `This transaction was already reversed${by} on ${formatDate(t.reversedBy.bookedAt)}. A transaction can be reversed only once.`;
  }
  return null;
}

function overdrawMessage(t: LedgerTransactionView, balancePence: number): string {
  const needed = t.balanceChangePence;
  if (needed > 0) {
    return `This cannot be reversed: it would take ${formatPence(needed)} off the contract\u2019s credit balance, which holds only ${formatPence(balancePence)}. `
      + 'Some of these credits have already been spent on swaps. Reverse those swaps first, then this transaction.';
  }
  return 'This cannot be reversed: an account on this contract would go below zero. Reverse the later transactions that used this value first.';
}

/** Undoes an approved swap's changes to its commitments (H6's approval raised A's substituted quantity, and created or enlarged B). */
async function undoSwap(tx: Tx, swapId: string) {
  const swap = await tx.selectFrom('credit_swap').selectAll().where('id', '=', swapId).executeTakeFirst();
  if (!swap || swap.status !== 'approved') throw new Refused({ ok: false, reason: 'refused', message: 'The swap behind this transaction is not approved, so its commitment changes cannot be undone.' });
  const lowered = await tx.updateTable('commitment')
    .set((eb) => ({ substituted_milli: eb('substituted_milli', '-', swap.quantity_milli), updated_at: new Date().toISOString() }))
    .where('id', '=', swap.commitment_id).where('substituted_milli', '>=', swap.quantity_milli)
    .executeTakeFirst();
  if (Number(lowered.numUpdatedRows) !== 1) {
    throw new Refused({ ok: false, reason: 'refused', message: 'The commitment no longer has this swap\u2019s quantity recorded as substituted, so the swap cannot be reversed.' });
  }
  const changes: Record<string, unknown> = { commitmentId: swap.commitment_id, substitutedMilliLoweredBy: swap.quantity_milli };
  if (swap.method === 'measure' && swap.to_commitment_id && swap.to_quantity_milli) {
    const b = await tx.selectFrom('commitment as cm').innerJoin('measure as m', 'm.id', 'cm.measure_id')
      .select(['cm.id', 'cm.target_milli', 'cm.delivered_milli', 'cm.substituted_milli', 'm.code', 'm.title', 'm.unit'])
      .where('cm.id', '=', swap.to_commitment_id).executeTakeFirstOrThrow();
    const label = `${b.code} ${b.title}`;
    const newTarget = b.target_milli - swap.to_quantity_milli;
    if (newTarget <= 0) {
      throw new Refused({ ok: false, reason: 'refused', message: `This swap cannot be reversed: it created commitment ${label}, and taking its ${formatQuantity(swap.to_quantity_milli, b.unit)} away would leave that commitment with no target. Commitments are never deleted; agree a correction with the contractor instead.` });
    }
    const achieved = b.delivered_milli + b.substituted_milli;
    if (newTarget < achieved) {
      throw new Refused({ ok: false, reason: 'refused', message: `This swap cannot be reversed: commitment ${label} would have a target of ${formatQuantity(newTarget, b.unit)}, below the ${formatQuantity(achieved, b.unit)} already delivered or substituted against it.` });
    }
    await tx.updateTable('commitment').set({ target_milli: newTarget, updated_at: new Date().toISOString() }).where('id', '=', b.id).execute();
    Object.assign(changes, { toCommitmentId: b.id, targetMilliBefore: b.target_milli, targetMilliAfter: newTarget });
  }
  return changes;
}

/**
 * Books the reversal of a transaction: its postings negated, reverses_id set,
 * the officer's reason, approved by the officer. Staff only. Refused, with
 * nothing written, when it was reversed already, is itself a reversal, would
 * overdraw an account (earned or claimed credits already spent), or would
 * undo a swap whose commitments can no longer take it back.
 */
export async function reverseTransaction(db: Db, transactionId: string, reason: string, actor: Actor): Promise<ReverseResult> {
  const text = reason.trim();
  if (!text) return { ok: false, reason: 'invalid', field: 'reason', message: 'Enter the reason for reversing this transaction' };
  if (text.length > REVERSAL_REASON_MAX) return { ok: false, reason: 'invalid', field: 'reason', message: `Reason must be ${REVERSAL_REASON_MAX} characters or fewer` };
  const officerId = actor.userId;
  try {
    return await db.transaction().execute(async (tx): Promise<ReverseResult> => {
      const officer = officerId ? await tx.selectFrom('user').select(['role', 'status']).where('id', '=', officerId).executeTakeFirst() : undefined;
      if (!officer || officer.status !== 'active' || !can(officer.role, 'credit:decide')) {
        throw new Refused({ ok: false, reason: 'forbidden', message: 'Only council officers can reverse ledger transactions.' });
      }
      const original = await findTransaction(tx, transactionId);
      if (!original) throw new Refused({ ok: false, reason: 'not-found' });
      const why = cannotReverse(original);
      if (why) throw new Refused({ ok: false, reason: 'conflict', message: why });
      // A closed contract never changes again (docs/contracts.md), its ledger included.
      const contract = await tx.selectFrom('contract').select(['status', 'closed_at']).where('id', '=', original.contractId).executeTakeFirstOrThrow();
      if (contract.status !== 'active') throw new Refused({ ok: false, reason: 'refused', message: `${closedMessage(contract)} Its ledger cannot be reversed.` });

      let swapChanges: Record<string, unknown> | undefined;
      if (original.kind === 'swap' && original.sourceType === 'credit_swap') swapChanges = await undoSwap(tx, original.sourceId);

      let id: string;
      try {
        id = await bookTransaction(tx, {
          contractId: original.contractId, kind: 'reversal', sourceType: 'ledger_transaction', sourceId: original.id, reversesId: original.id,
          reason: text, approvedBy: officerId,
          postings: original.postings.map((p) => ({ kind: p.accountKind, commitmentId: p.commitmentId, amountPence: -p.amountPence })),
        });
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'insufficient-balance') {
          throw new Refused({ ok: false, reason: 'refused', message: overdrawMessage(original, await contractBalance(tx, original.contractId)) });
        }
        if (error instanceof LedgerError && error.code === 'already-booked') {
          throw new Refused({ ok: false, reason: 'conflict', message: 'This transaction was already reversed. A transaction can be reversed only once.' });
        }
        throw error;
      }

      await recordAudit(tx, actor, {
        action: 'ledger.reversed', subjectType: 'ledger_transaction', subjectId: original.id,
        before: { kind: original.kind, sourceType: original.sourceType, sourceId: original.sourceId, balanceChangePence: original.balanceChangePence },
        after: { reversalId: id, reason: text, balanceChangePence: -original.balanceChangePence, swap: swapChanges },
      });
      await notifySupplier(tx, original, text, id);
      return { ok: true, id };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/** Tells the supplier's active contractor users that a ledger entry on their contract was reversed. */
async function notifySupplier(tx: Tx, t: LedgerTransactionView, reason: string, reversalId: string) {
  const contract = await tx.selectFrom('contract').select(['reference', 'supplier_id']).where('id', '=', t.contractId).executeTakeFirstOrThrow();
  const users = await tx.selectFrom('user').select(['id', 'email']).where('organisation_id', '=', contract.supplier_id)
    .where('role', '=', 'contractor').where('status', '=', 'active').execute();
  const change = t.balanceChangePence === 0 ? '' : ` The contract\u2019s credit balance changes by ${t.balanceChangePence > 0 ? '-' : '+'}${formatPence(Math.abs(t.balanceChangePence))}.`;
  for (const user of users) {
    await enqueueNotification(tx, {
      kind: 'ledger_reversed', toEmail: user.email, toUserId: user.id,
      subject: `Credits ledger corrected: ${contract.reference}`,
      body: `A council officer reversed an entry in the credits ledger of contract ${contract.reference}: "${t.reason}".${change}\n\nReason: ${reason}`,
      linkPath: `/contracts/${t.contractId}/ledger`,
      dedupeKey: `ledger_reversed:${reversalId}:${user.id}`,
    });
  }
}
