import type { Db } from '#db/client';
import type { PledgeStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { formatPence } from '~/modules/contracts/figures';
import { PUBLIC_STATUSES } from '~/modules/wishlist/wishlist';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import { ACCEPT_BLOCKED, exceedsEstimate, itemBlock } from './item-rule';
import { syncItemStatus } from './item-status.server';
import { refusal, TRANSITIONS, type PledgeStep } from './lifecycle';
import { notifyOtherSide, type PledgeFacts } from './pledge-notify.server';
import { PLEDGE_LIMITS, PLEDGE_MESSAGES, STEP_ACTIONS, type OfferInput } from './pledges.schema';
import { findPledgeForViewer, sideOf, type PledgeDetail, type PledgeViewer } from './pledge-queries.server';

// The pledge services (docs/pledges.md). Each owns its transaction, checks who
// is acting against the lifecycle (lifecycle.ts), changes the pledge with a
// conditional update (a step on a pledge that has moved on changes nothing and
// is a conflict), writes its audit event, tells the other side through the
// outbox and brings the item's status in line (item-status.server.ts).

export type PledgeResult =
  | { ok: true; id: string; status: PledgeStatus }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'forbidden' | 'conflict'; message: string }
  | { ok: false; reason: 'invalid'; field: string; message: string };

const invalid = (field: string, message: string) => ({ ok: false as const, reason: 'invalid' as const, field, message });
const conflict = (message: string) => ({ ok: false as const, reason: 'conflict' as const, message });

export const NOT_OPEN = 'This need is no longer open to pledges.';
/** The owner lowered the need's estimate after this offer was made: one pledge is never worth more than its need (ADR 0018). */
export const overEstimateMessage = (valuePence: number, estimatePence: number) =>
  `This pledge is worth ${formatPence(valuePence)}, more than this need’s estimate of ${formatPence(estimatePence)} since it was changed, so it cannot be accepted. Decline it, saying so: the contractor can offer again.`;
export const CHANGED = 'This pledge has changed since you opened it. Open it again to see where it stands.';

/* -------------------------------------------------------------- offering */

/**
 * A contractor's organisation offers to meet all or part of a published (or
 * pledged) item. Safe to send twice: the submission key makes a repeat return
 * the first pledge's id.
 */
export async function offerPledge(db: Db, itemId: string, input: OfferInput, user: PledgeViewer, actor: Actor, once?: Once): Promise<PledgeResult> {
  return db.transaction().execute(async (tx): Promise<PledgeResult> => {
    const prior = await priorResult(tx, once, 'pledge.offer');
    if (prior) return { ok: true, id: prior, status: 'offered' };
    if (user.role !== 'contractor') return { ok: false, reason: 'forbidden', message: 'Only contractors can pledge.' };
    const supplier = await tx.selectFrom('organisation').select(['id', 'name', 'kind', 'status']).where('id', '=', user.organisationId).executeTakeFirst();
    if (!supplier || supplier.kind !== 'supplier' || supplier.status !== 'verified') return { ok: false, reason: 'forbidden', message: 'Only verified contractors can pledge.' };
    const item = await tx
      .selectFrom('wishlist_item as i')
      .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
      .select(['i.id', 'i.title', 'i.status', 'i.estimated_value_pence as estimatePence', 'i.organisation_id as recipientId', 'v.name as recipientName'])
      .where('i.id', '=', itemId)
      .executeTakeFirst();
    // The contractor cannot see an item that is not public; a public one that takes no pledges (met) is a conflict.
    if (!item || !PUBLIC_STATUSES.includes(item.status)) return { ok: false, reason: 'not-found' };
    if (itemBlock('offer', item.status)) return conflict(NOT_OPEN);
    // The form checked the value against the estimate it showed; the estimate may have changed since.
    const max = item.estimatePence > 0 ? Math.min(item.estimatePence, PLEDGE_LIMITS.valuePence) : PLEDGE_LIMITS.valuePence;
    if (input.value > max) return invalid('value', PLEDGE_MESSAGES.valueTooBig(max, item.estimatePence > 0 && max === item.estimatePence));
    let contractId: string | null = null;
    if (input.contractId) {
      const contract = await tx.selectFrom('contract').select(['id', 'status']).where('id', '=', input.contractId).where('supplier_id', '=', supplier.id).executeTakeFirst();
      if (!contract || contract.status !== 'active') return invalid('contractId', 'Select one of your organisation’s active contracts, or none');
      contractId = contract.id;
    }

    const id = newId();
    const at = nowIso();
    const row = {
      id, item_id: item.id, supplier_id: supplier.id, contract_id: contractId, description: input.description, value_pence: input.value,
      expected_date: input.expectedDate, status: 'offered' as const, response_reason: null, delivery_note: null, is_story: input.isStory ? 1 : 0,
      responded_by: null, responded_at: null, delivered_at: null, confirmed_by: null, confirmed_at: null, created_by: user.id, created_at: at, updated_at: at,
    };
    await tx.insertInto('pledge').values(row).execute();
    await rememberResult(tx, once, 'pledge.offer', id);
    await recordAudit(tx, actor, {
      action: STEP_ACTIONS.offer, subjectType: 'pledge', subjectId: id,
      after: { status: 'offered', itemId: item.id, contractId, description: input.description, valuePence: input.value, expectedDate: input.expectedDate, isStory: input.isStory },
    });
    const facts: PledgeFacts = {
      id, itemTitle: item.title, supplierName: supplier.name, recipientName: item.recipientName,
      description: input.description, valuePence: input.value, expectedDate: input.expectedDate,
    };
    await notifyOtherSide(tx, 'offer', facts, item.recipientId, at);
    await syncItemStatus(tx, item.id, actor, { pledgeId: id, step: 'offer' });
    return { ok: true, id, status: 'offered' };
  });
}

/* ----------------------------------------------------------------- steps */

export interface StepRequest {
  step: PledgeStep;
  /** A reason (accept: optional message; decline and dispute: required; withdraw: optional). */
  reason?: string;
  /** What was delivered (deliver: required). */
  note?: string;
  /** The pledge's updated_at when the page was loaded: a stale page is a conflict. */
  version?: string;
}

const PAST: Record<PledgeStatus, string> = {
  offered: 'is waiting for an answer',
  accepted: 'has been accepted',
  declined: 'has been declined',
  delivered: 'has been marked delivered',
  confirmed: 'has been confirmed',
  disputed: 'is disputed',
  withdrawn: 'has been withdrawn',
};

export function movedOnMessage(status: PledgeStatus): string {
  return `This pledge ${PAST[status]}, so that step is no longer possible. Open it again to see where it stands.`;
}

/** The columns a step sets, besides status and updated_at. */
function stepColumns(step: PledgeStep, request: StepRequest, userId: string, at: string) {
  const reason = request.reason || null;
  switch (step) {
    case 'accept':
    case 'decline':
      return { response_reason: reason, responded_by: userId, responded_at: at };
    case 'deliver':
      return { delivery_note: request.note || null, delivered_at: at };
    case 'confirm':
      return { confirmed_by: userId, confirmed_at: at };
    case 'dispute':
    case 'withdraw':
      return { response_reason: reason };
  }
}

/**
 * Takes one step of a pledge's lifecycle for the user's side. Another
 * organisation's pledge is not found; staff and the wrong side are refused;
 * a pledge that has moved on (or changed since the page was loaded) is a
 * conflict and nothing changes.
 */
export async function takeStep(db: Db, pledgeId: string, request: StepRequest, user: PledgeViewer, actor: Actor): Promise<PledgeResult> {
  return db.transaction().execute(async (tx): Promise<PledgeResult> => {
    const before = await findPledgeForViewer(tx, pledgeId, user);
    if (!before) return { ok: false, reason: 'not-found' };
    const { step } = request;
    const side = sideOf(before, user);
    const refused = refusal(before.status, step, side);
    if (refused === 'wrong-side') {
      return { ok: false, reason: 'forbidden', message: side === null ? 'Council staff can see pledges but not act on them.' : 'Only the other organisation can take that step.' };
    }
    if (refused === 'wrong-status') return conflict(movedOnMessage(before.status));
    if (request.version && request.version !== before.updated_at) return conflict(CHANGED);
    const needs = TRANSITIONS[step].needs;
    if (needs === 'reason' && !request.reason) return invalid('reason', step === 'decline' ? PLEDGE_MESSAGES.declineReason : PLEDGE_MESSAGES.disputeReason);
    if (needs === 'note' && !request.note) return invalid('note', PLEDGE_MESSAGES.deliverNote);
    // Only an open need (published or pledged) takes a new promise; every other step goes on whatever the item's status (item-rule.ts).
    const blocked = itemBlock(step, before.itemStatus);
    if (blocked) return conflict(ACCEPT_BLOCKED[blocked]);
    if (step === 'accept' && exceedsEstimate(before.value_pence, before.itemEstimatePence)) return conflict(overEstimateMessage(before.value_pence, before.itemEstimatePence));

    const status = TRANSITIONS[step].to;
    const at = nowIso();
    const result = await tx
      .updateTable('pledge')
      .set({ status, updated_at: at, ...stepColumns(step, request, user.id, at) })
      .where('id', '=', before.id)
      .where('status', '=', before.status)
      .where('updated_at', '=', before.updated_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const now = await findPledgeForViewer(tx, pledgeId, user);
      return conflict(now && now.status !== before.status ? movedOnMessage(now.status) : CHANGED);
    }
    const text = (step === 'deliver' ? request.note : request.reason) || null;
    await recordAudit(tx, actor, {
      action: STEP_ACTIONS[step], subjectType: 'pledge', subjectId: before.id,
      before: { status: before.status },
      after: { status, ...(step === 'deliver' ? { note: text } : { reason: text }) },
    });
    const otherSide = side === 'supplier' ? before.recipientId : before.supplier_id;
    await notifyOtherSide(tx, step, factsOf(before), otherSide, at, text);
    await syncItemStatus(tx, before.item_id, actor, { pledgeId: before.id, step });
    return { ok: true, id: before.id, status };
  });
}

function factsOf(p: PledgeDetail): PledgeFacts {
  return {
    id: p.id, itemTitle: p.itemTitle, supplierName: p.supplierName, recipientName: p.recipientName,
    description: p.description, valuePence: p.value_pence, expectedDate: p.expected_date,
  };
}

/* The services by name, as the brief and other modules call them. */

/** The VCSE accepts (optionally with a message) or declines (with a reason) an offered pledge. */
export const respondToPledge = (db: Db, pledgeId: string, answer: { decision: 'accept' | 'decline'; reason?: string; version?: string }, user: PledgeViewer, actor: Actor) =>
  takeStep(db, pledgeId, { step: answer.decision, reason: answer.reason, version: answer.version }, user, actor);

/** The contractor marks an accepted (or disputed) pledge delivered, saying what was delivered. */
export const markDelivered = (db: Db, pledgeId: string, note: string, user: PledgeViewer, actor: Actor, version?: string) =>
  takeStep(db, pledgeId, { step: 'deliver', note, version }, user, actor);

/** The VCSE confirms it received a delivered (or disputed) pledge. */
export const confirmPledge = (db: Db, pledgeId: string, user: PledgeViewer, actor: Actor, version?: string) =>
  takeStep(db, pledgeId, { step: 'confirm', version }, user, actor);

/** The VCSE says what is wrong with a delivery. */
export const disputePledge = (db: Db, pledgeId: string, reason: string, user: PledgeViewer, actor: Actor, version?: string) =>
  takeStep(db, pledgeId, { step: 'dispute', reason, version }, user, actor);

/** The contractor withdraws an offered or accepted pledge (optionally saying why). */
export const withdrawPledge = (db: Db, pledgeId: string, user: PledgeViewer, actor: Actor, reason?: string, version?: string) =>
  takeStep(db, pledgeId, { step: 'withdraw', reason, version }, user, actor);
