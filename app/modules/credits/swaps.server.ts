import type { Db, Tx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { DUE_DATE_YEARS_AFTER_END } from '~/modules/contracts/contracts.schema';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { addYears } from '~/modules/contracts/dates';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { bookTransaction, LedgerError } from './ledger.server';
import { findSwapCommitment, swapFacts, type SwapCommitment } from './swap-facts.server';
import { evaluateSwap, type SwapField, type SwapMethod } from './swap-rules';
import { SWAP_LIMITS } from './swaps.schema';

// Swaps (substitutions, docs/swaps.md, ADR 0014): a contractor asks to meet part
// of a commitment with credits from the contract's balance, or by taking on
// another measure of at least equal value; an officer approves or rejects it,
// once. Approval changes the commitments and books the ledger in one
// transaction; the policy and the balance are checked again at that moment.

export { findSwapCommitment, swapFacts, type SwapCommitment };

export type SwapRequestInput =
  | { commitmentId: string; method: 'credits'; quantityMilli: number; reason: string }
  | {
    commitmentId: string; method: 'measure'; quantityMilli: number; toMeasureId: string; toQuantityMilli: number;
    toCommitmentId?: string | null; toDueDate?: string | null; reason: string;
  };

export type SwapResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'invalid'; field: SwapField; message: string }
  | { ok: false; reason: 'not-found' };

export type SwapDecisionResult =
  | { ok: true; id: string; status: 'approved' | 'rejected'; transactionId: string | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'forbidden'; message: string }
  | { ok: false; reason: 'invalid'; field: 'decision' | 'reason'; message: string }
  /** `kind`: decided (already decided or withdrawn: a 409), or a rule the approval would now break (balance, share, closed). */
  | { ok: false; reason: 'conflict'; kind: 'decided' | 'refused'; message: string };

export type SwapWithdrawResult = { ok: true; id: string } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'conflict'; message: string };

/** Thrown inside a transaction to roll it back and answer with this result. */
class Refusal<T> extends Error {
  constructor(readonly result: T) {
    super('refused');
  }
}

async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof Refusal) return error.result as T;
    throw error;
  }
}

/* --------------------------------------------------------------- request */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The checks a form has made already, repeated for any other caller. */
function checkShape(input: SwapRequestInput): Extract<SwapResult, { reason: 'invalid' }> | null {
  const invalid = (field: SwapField, message: string) => ({ ok: false as const, reason: 'invalid' as const, field, message });
  if (input.method !== 'credits' && input.method !== 'measure') return invalid('method', 'Select how you will meet this part of the commitment');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) return invalid('reason', 'Enter why you cannot deliver this part of the commitment as written');
  if (reason.length > SWAP_LIMITS.reason) return invalid('reason', `Reason must be ${SWAP_LIMITS.reason} characters or fewer`);
  if (input.method === 'measure') {
    if (!input.toMeasureId) return invalid('toMeasureId', 'Select the measure you will deliver instead');
    if (input.toDueDate && !ISO_DATE.test(input.toDueDate)) return invalid('toDueDate', 'Due date must be a real date');
  }
  return null;
}

/**
 * A contractor's request to meet part of a commitment another way. Checks every
 * rule (the commitment's remaining target and the policy's share, counting the
 * other requests still waiting; the balance less other pending credit swaps; the
 * measure, theme, commitment and value of a measure swap) and saves the request;
 * nothing is booked until an officer approves it.
 */
export async function requestSwap(db: Db, input: SwapRequestInput, actor: Actor, once?: Once): Promise<SwapResult> {
  const supplierId = actor.organisationId;
  const userId = actor.userId;
  if (!userId || !supplierId) return { ok: false, reason: 'not-found' };
  return db.transaction().execute(async (tx): Promise<SwapResult> => {
    const prior = await priorResult(tx, once, 'swap.request');
    if (prior) return { ok: true, id: prior };
    const commitment = await findSwapCommitment(tx, String(input.commitmentId ?? ''), supplierId);
    if (!commitment) return { ok: false, reason: 'not-found' };
    if (commitment.contractStatus !== 'active') return { ok: false, reason: 'invalid', field: 'commitmentId', message: closedMessage({ status: commitment.contractStatus, closed_at: commitment.closedAt }) };
    const shape = checkShape(input);
    if (shape) return shape;
    const measure = input.method === 'measure';
    const facts = await swapFacts(tx, commitment);
    const evaluation = evaluateSwap(facts, {
      method: input.method, quantityMilli: input.quantityMilli,
      toMeasureId: measure ? input.toMeasureId : undefined, toCommitmentId: measure ? (input.toCommitmentId ?? null) : undefined,
      toQuantityMilli: measure ? input.toQuantityMilli : undefined,
    });
    const problem = evaluation.problems[0];
    if (problem) return { ok: false, reason: 'invalid', field: problem.field, message: problem.message };
    if (measure) {
      if (evaluation.toValuePence === null) return { ok: false, reason: 'invalid', field: 'toQuantity', message: 'Enter the quantity of the other measure you will deliver instead, more than 0, with up to 3 decimal places' };
      if (input.toDueDate) {
        const latest = addYears(commitment.endDate, DUE_DATE_YEARS_AFTER_END);
        if (input.toDueDate < commitment.startDate || input.toDueDate > latest) {
          return { ok: false, reason: 'invalid', field: 'toDueDate', message: `Due date must be between the contract’s start, ${formatDate(commitment.startDate)}, and ${formatDate(latest)}` };
        }
      }
    }
    const at = nowIso();
    const row = {
      id: newId(), contract_id: commitment.contractId, supplier_id: supplierId, commitment_id: commitment.id, method: input.method,
      quantity_milli: input.quantityMilli, value_pence: evaluation.valuePence!,
      to_measure_id: measure ? input.toMeasureId : null, to_commitment_id: measure ? (input.toCommitmentId || null) : null,
      to_quantity_milli: measure ? input.toQuantityMilli : null, to_proxy_value_pence: measure ? evaluation.toProxyValuePence : null,
      to_value_pence: measure ? evaluation.toValuePence : null, to_due_date: measure ? (input.toDueDate || null) : null,
      reason: input.reason.trim(), status: 'requested' as const, created_by: userId, created_at: at, updated_at: at,
    };
    await tx.insertInto('credit_swap').values(row).execute();
    await recordAudit(tx, actor, { action: 'swap.requested', subjectType: 'credit_swap', subjectId: row.id, after: row });
    await rememberResult(tx, once, 'swap.request', row.id);
    const officer = await tx.selectFrom('user').select(['id', 'email', 'status']).where('id', '=', commitment.officerId).executeTakeFirst();
    if (officer && officer.status === 'active') {
      await enqueueNotification(tx, {
        kind: 'swap_requested', toEmail: officer.email, toUserId: officer.id,
        subject: `Swap requested: ${commitment.contractReference} ${commitment.measureCode}`,
        body: `A contractor asks to meet ${formatQuantity(row.quantity_milli, commitment.unit)} (${formatPence(row.value_pence)}) of ${commitment.measureCode} on ${commitment.contractReference} another way. It waits for an officer’s decision.`,
        linkPath: `/credits/swaps/${row.id}`,
        dedupeKey: `swap_requested:${row.id}`,
      });
    }
    return { ok: true, id: row.id };
  });
}

/* -------------------------------------------------------------- decision */

const STAFF = new Set(['officer', 'admin']);

function decidedText(status: string, decidedBy: string | null, decidedAt: string | null, updatedAt: string): string {
  if (status === 'withdrawn') return `This swap was withdrawn by the contractor on ${formatDate(updatedAt)}.`;
  return `This swap was already ${status}${decidedBy ? ` by ${decidedBy}` : ''}${decidedAt ? ` on ${formatDate(decidedAt)}` : ''}. Decisions are final.`;
}

/**
 * An officer approves or rejects a requested swap, with a reason, once. The
 * status changes only while it is still 'requested', so a second decision, even
 * a simultaneous one, is a conflict. Approval re-checks the remaining target,
 * the policy's share and the balance, then in this one transaction raises the
 * commitment's substituted quantity, creates or enlarges the other commitment
 * (measure swaps) and books the ledger. Any refusal writes nothing.
 */
export async function decideSwap(db: Db, swapId: string, input: { decision: 'approve' | 'reject'; reason: string }, actor: Actor): Promise<SwapDecisionResult> {
  const deciderId = actor.userId;
  if (!deciderId) return { ok: false, reason: 'forbidden', message: 'Only a signed-in officer can decide a swap.' };
  return inTransaction(db, async (tx): Promise<SwapDecisionResult> => {
    const decider = await tx.selectFrom('user').select(['role', 'status']).where('id', '=', deciderId).executeTakeFirst();
    if (!decider || decider.status !== 'active' || !STAFF.has(decider.role)) return { ok: false, reason: 'forbidden', message: 'Only an officer can decide a swap.' };
    const swap = await tx.selectFrom('credit_swap as s').leftJoin('user as d', 'd.id', 's.decided_by').selectAll('s').select('d.name as decidedByName').where('s.id', '=', String(swapId)).executeTakeFirst();
    if (!swap) return { ok: false, reason: 'not-found' };
    if (swap.created_by === deciderId) return { ok: false, reason: 'forbidden', message: 'You cannot decide a swap you requested yourself. Ask another officer to decide it.' };
    if (swap.status !== 'requested') return { ok: false, reason: 'conflict', kind: 'decided', message: decidedText(swap.status, swap.decidedByName, swap.decided_at, swap.updated_at) };
    if (input.decision !== 'approve' && input.decision !== 'reject') return { ok: false, reason: 'invalid', field: 'decision', message: 'Select whether to approve or reject the swap' };
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason) return { ok: false, reason: 'invalid', field: 'reason', message: `Enter the reason for ${input.decision === 'approve' ? 'approving' : 'rejecting'} the swap` };
    if (reason.length > SWAP_LIMITS.decisionReason) return { ok: false, reason: 'invalid', field: 'reason', message: `Reason must be ${SWAP_LIMITS.decisionReason} characters or fewer` };

    const commitment = (await findSwapCommitment(tx, swap.commitment_id, null))!;
    const refuse = (message: string): SwapDecisionResult => ({ ok: false, reason: 'conflict', kind: 'refused', message });
    if (input.decision === 'approve') {
      if (commitment.contractStatus !== 'active') return refuse(`${closedMessage({ status: commitment.contractStatus, closed_at: commitment.closedAt })} Reject the swap instead.`);
      const facts = await swapFacts(tx, commitment, { exceptSwapId: swap.id, includePending: false });
      const check = evaluateSwap(facts, { method: swap.method, quantityMilli: swap.quantity_milli });
      if (check.problems[0]) return refuse(`This swap cannot be approved now: ${check.problems[0].message}. Reject it with a reason instead.`);
      const toMeasure = facts.measures.find((m) => m.id === swap.to_measure_id);
      if (swap.method === 'measure' && !toMeasure?.active) {
        return refuse(`This swap cannot be approved now: the measure it would deliver instead${toMeasure ? ` (${toMeasure.code} ${toMeasure.title})` : ''} has been retired since the request. Reject it with a reason instead.`);
      }
      const toTheme = toMeasure?.theme;
      if (swap.method === 'measure' && !facts.policy.allowCrossTheme && toTheme !== commitment.theme) {
        return refuse(`This swap cannot be approved now: the credit policy no longer allows swaps across themes (${commitment.theme} to ${toTheme}). Reject it with a reason instead.`);
      }
    }

    const status = input.decision === 'approve' ? 'approved' as const : 'rejected' as const;
    const at = nowIso();
    const updated = await tx.updateTable('credit_swap')
      .set({ status, decision_reason: reason, decided_by: deciderId, decided_at: at, updated_at: at })
      .where('id', '=', swap.id).where('status', '=', 'requested').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', kind: 'decided', message: 'This swap was decided by someone else a moment ago. Decisions are final.' };

    let transactionId: string | null = null;
    let effects: Record<string, unknown> = {};
    if (status === 'approved') {
      const applied = await applyApproval(tx, swap, commitment, deciderId, reason);
      transactionId = applied.transactionId;
      effects = applied.effects;
    }
    await recordAudit(tx, actor, {
      action: `swap.${status}`, subjectType: 'credit_swap', subjectId: swap.id,
      before: { status: swap.status, commitment: { id: commitment.id, substitutedMilli: commitment.substitutedMilli } },
      after: { status, decisionReason: reason, decidedAt: at, transactionId, ...effects },
    });
    await notifyContractors(tx, swap, commitment, status, reason);
    return { ok: true, id: swap.id, status, transactionId };
  });
}

type SwapRow = { id: string; method: SwapMethod; quantity_milli: number; value_pence: number; to_measure_id: string | null; to_commitment_id: string | null; to_quantity_milli: number | null; to_proxy_value_pence: number | null; to_due_date: string | null; reason: string };

/** The approval's effects on the commitments and the ledger, in the decision's transaction. */
async function applyApproval(tx: Tx, swap: SwapRow, a: SwapCommitment, deciderId: string, decisionReason: string) {
  const at = nowIso();
  await tx.updateTable('commitment').set((eb) => ({ substituted_milli: eb('substituted_milli', '+', swap.quantity_milli), updated_at: at })).where('id', '=', a.id).execute();
  const effects: Record<string, unknown> = { commitment: { id: a.id, substitutedMilli: a.substitutedMilli + swap.quantity_milli } };
  let toCommitmentId: string | null = null;
  if (swap.method === 'measure') {
    const toQuantity = swap.to_quantity_milli!;
    if (swap.to_commitment_id) {
      const raised = await tx.updateTable('commitment').set((eb) => ({ target_milli: eb('target_milli', '+', toQuantity), updated_at: at }))
        .where('id', '=', swap.to_commitment_id).where('contract_id', '=', a.contractId).returning(['id', 'target_milli']).executeTakeFirst();
      if (!raised) throw new Refusal<SwapDecisionResult>({ ok: false, reason: 'conflict', kind: 'refused', message: 'The commitment this swap would enlarge no longer exists. Reject the swap instead.' });
      toCommitmentId = raised.id;
      effects.toCommitment = { id: raised.id, targetMilliBefore: raised.target_milli - toQuantity, targetMilli: raised.target_milli };
    } else {
      toCommitmentId = newId();
      const description = `Taken on in a swap for ${a.measureCode} (swap ${swap.id.slice(0, 8)}): ${swap.reason}`.slice(0, 2000);
      const row = {
        id: toCommitmentId, contract_id: a.contractId, measure_id: swap.to_measure_id!, target_milli: toQuantity, proxy_value_pence: swap.to_proxy_value_pence!,
        due_date: swap.to_due_date ?? a.dueDate, ward_id: a.wardId, description, created_at: at, updated_at: at,
      };
      await tx.insertInto('commitment').values(row).execute();
      effects.toCommitment = { created: true, ...row };
    }
    await tx.updateTable('credit_swap').set({ to_commitment_id: toCommitmentId }).where('id', '=', swap.id).execute();
  }
  const x = swap.value_pence;
  const what = swap.method === 'credits' ? 'credits from the balance' : 'another measure';
  try {
    const transactionId = await bookTransaction(tx, {
      contractId: a.contractId, kind: 'swap', sourceType: 'credit_swap', sourceId: swap.id, approvedBy: deciderId,
      reason: `Swap: ${formatQuantity(swap.quantity_milli, a.unit)} of ${a.measureCode} met with ${what}. ${decisionReason}`.slice(0, 2000),
      postings: swap.method === 'credits'
        ? [{ kind: 'substituted', commitmentId: a.id, amountPence: x }, { kind: 'balance', amountPence: -x }]
        : [{ kind: 'substituted', commitmentId: a.id, amountPence: x }, { kind: 'substitute', commitmentId: toCommitmentId, amountPence: -x }],
    });
    return { transactionId, effects };
  } catch (error) {
    if (error instanceof LedgerError) {
      const message = error.code === 'insufficient-balance'
        ? `This swap cannot be approved now: it needs ${formatPence(x)} of credits and the contract’s balance is lower. Reject it with a reason instead.`
        : error.message;
      throw new Refusal<SwapDecisionResult>({ ok: false, reason: 'conflict', kind: error.code === 'already-booked' ? 'decided' : 'refused', message });
    }
    throw error;
  }
}

/** Emails every active contractor user of the supplier. */
async function notifyContractors(tx: Tx, swap: { id: string; supplier_id: string; quantity_milli: number }, a: SwapCommitment, status: 'approved' | 'rejected', reason: string) {
  const users = await tx.selectFrom('user').select(['id', 'email']).where('organisation_id', '=', swap.supplier_id).where('role', '=', 'contractor').where('status', '=', 'active').execute();
  for (const user of users) {
    await enqueueNotification(tx, {
      kind: 'swap_decided', toEmail: user.email, toUserId: user.id,
      subject: `Swap ${status}: ${a.contractReference} ${a.measureCode}`,
      body: `Your request to meet ${formatQuantity(swap.quantity_milli, a.unit)} of ${a.measureCode} on ${a.contractReference} another way has been ${status}.\n\n${reason}`,
      linkPath: `/credits/swaps/${swap.id}`,
      dedupeKey: `swap_decided:${swap.id}:${user.id}`,
    });
  }
}

/* -------------------------------------------------------------- withdraw */

/** The contractor withdraws its own organisation's request while it waits for a decision. */
export async function withdrawSwap(db: Db, swapId: string, actor: Actor): Promise<SwapWithdrawResult> {
  if (!actor.userId || !actor.organisationId) return { ok: false, reason: 'not-found' };
  return db.transaction().execute(async (tx): Promise<SwapWithdrawResult> => {
    const swap = await tx.selectFrom('credit_swap as s').leftJoin('user as d', 'd.id', 's.decided_by').selectAll('s').select('d.name as decidedByName')
      .where('s.id', '=', String(swapId)).where('s.supplier_id', '=', actor.organisationId!).executeTakeFirst();
    if (!swap) return { ok: false, reason: 'not-found' };
    const at = nowIso();
    const updated = await tx.updateTable('credit_swap').set({ status: 'withdrawn', updated_at: at }).where('id', '=', swap.id).where('status', '=', 'requested').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: decidedText(swap.status, swap.decidedByName, swap.decided_at, swap.updated_at) };
    await recordAudit(tx, actor, { action: 'swap.withdrawn', subjectType: 'credit_swap', subjectId: swap.id, before: { status: swap.status }, after: { status: 'withdrawn', at } });
    return { ok: true, id: swap.id };
  });
}
