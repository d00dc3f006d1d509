import type { Db, DbOrTx, Tx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { closedMessage, isUniqueViolation } from '~/modules/contracts/contracts.server';
import { formatPence, valueOfQuantity } from '~/modules/contracts/figures';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import type { StoredFile } from '~/modules/returns/evidence-limits';
import { discardUnreferenced } from '~/modules/returns/evidence-store.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { attachClaimFiles, attachClaimLink } from './claim-evidence.server';
import { CLAIM_LIMITS, CLAIM_MESSAGES, checkClaimDecision, type ClaimDecisionInput } from './claims.schema';
import { bookTransaction, LedgerError } from './ledger.server';
import { getCreditPolicy } from './policy.server';
import { withUplift } from './policy';

// Credit claims (docs/claims.md, ADR 0015): a contractor asks for credits for
// social value delivered outside its commitments; an officer approves (perhaps
// a lower amount) or rejects; approval books the ledger in the same
// transaction. Each service owns its transaction and audits inside it.

export type ClaimInput =
  | { contractId: string; kind: 'pledge'; pledgeId: string; description?: string }
  | {
    contractId: string; kind: 'activity'; measureId: string; quantityMilli: number; description: string;
    files?: StoredFile[]; links?: Array<{ url: string; title?: string | null }>;
  };

export type ClaimField = 'contractId' | 'pledgeId' | 'measureId' | 'quantity' | 'description' | 'evidence';

export type RequestClaimResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'invalid'; field: ClaimField; message: string }
  | { ok: false; reason: 'not-found' };

type Invalid = Extract<RequestClaimResult, { reason: 'invalid' }>;
const invalid = (field: ClaimField, message: string): Invalid => ({ ok: false, reason: 'invalid', field, message });

export interface ClaimValue {
  valuePence: number;
  upliftPercent: number;
  proxyValuePence: number | null;
  /** The value before any uplift (the pledge's value, or quantity × proxy). */
  baseValuePence: number;
  description: string;
}

export const pledgeTaken = (status: string) =>
  `This pledge already backs a claim that is ${status === 'approved' ? 'approved' : 'awaiting a decision'}. A confirmed pledge can back one claim only; withdraw that claim first if it was made by mistake`;

/**
 * What the claim would be worth, by the same rules as requestClaim (the form's
 * preview uses it). `organisationId` scopes the pledge and nothing else here.
 */
export async function claimValue(db: DbOrTx, input: ClaimInput, organisationId: string): Promise<{ ok: true; value: ClaimValue } | Invalid> {
  if (input.kind === 'pledge') {
    const pledge = await db
      .selectFrom('pledge as p')
      .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
      .leftJoin('ward as w', 'w.id', 'i.ward_id')
      .select(['p.id', 'p.status', 'p.value_pence', 'p.description', 'i.title', 'w.is_priority'])
      .where('p.id', '=', input.pledgeId)
      .where('p.supplier_id', '=', organisationId)
      .executeTakeFirst();
    if (!pledge) return invalid('pledgeId', CLAIM_MESSAGES.pledge);
    if (pledge.status !== 'confirmed') return invalid('pledgeId', `This pledge is ${pledge.status}. Only a pledge the charity has confirmed as received can back a claim`);
    const live = await db.selectFrom('credit_claim').select('status').where('pledge_id', '=', pledge.id).where('status', 'in', ['requested', 'approved']).executeTakeFirst();
    if (live) return invalid('pledgeId', pledgeTaken(live.status));
    const upliftPercent = pledge.is_priority === 1 ? (await getCreditPolicy(db)).priorityWardUpliftPercent : 0;
    const valuePence = withUplift(pledge.value_pence, upliftPercent);
    if (valuePence <= 0) return invalid('pledgeId', 'This pledge has no value recorded, so it cannot back a claim');
    if (valuePence > CLAIM_LIMITS.maxValuePence) return invalid('pledgeId', CLAIM_MESSAGES.tooMuch);
    const description = input.description?.trim() || `Pledge to “${pledge.title}”: ${pledge.description}`.slice(0, CLAIM_LIMITS.description);
    return { ok: true, value: { valuePence, upliftPercent, proxyValuePence: null, baseValuePence: pledge.value_pence, description } };
  }
  const measure = await db.selectFrom('measure').select(['id', 'active', 'proxy_value_pence']).where('id', '=', input.measureId).executeTakeFirst();
  if (!measure || measure.active !== 1) return invalid('measureId', CLAIM_MESSAGES.measure);
  if (!Number.isSafeInteger(input.quantityMilli) || input.quantityMilli <= 0) return invalid('quantity', CLAIM_MESSAGES.quantityPositive);
  const valuePence = valueOfQuantity(input.quantityMilli, measure.proxy_value_pence);
  if (valuePence <= 0) return invalid('measureId', 'This measure has no proxy value, so it cannot back a claim. Choose another measure');
  if (valuePence > CLAIM_LIMITS.maxValuePence) return invalid('quantity', CLAIM_MESSAGES.tooMuch);
  const description = input.description?.trim() ?? '';
  if (!description) return invalid('description', CLAIM_MESSAGES.description);
  if (description.length > CLAIM_LIMITS.description) return invalid('description', `Description must be ${CLAIM_LIMITS.description} characters or fewer`);
  return { ok: true, value: { valuePence, upliftPercent: 0, proxyValuePence: measure.proxy_value_pence, baseValuePence: valuePence, description } };
}

class Refusal extends Error {
  constructor(readonly result: Invalid) {
    super('refused');
  }
}

/**
 * A contractor's claim on an active contract of its own organisation. Files
 * are stored before this is called; any the claim does not end up referring to
 * are discarded afterwards.
 */
export async function requestClaim(db: Db, input: ClaimInput, actor: Actor, once?: Once): Promise<RequestClaimResult> {
  const userId = actor.userId;
  const organisationId = actor.organisationId;
  const files = input.kind === 'activity' ? (input.files ?? []) : [];
  if (!userId || !organisationId) return { ok: false, reason: 'not-found' };
  try {
    return await db.transaction().execute(async (tx): Promise<RequestClaimResult> => {
      const prior = await priorResult(tx, once, 'claim.create');
      if (prior) return { ok: true, id: prior };
      const contract = await tx.selectFrom('contract').select(['id', 'status', 'closed_at', 'reference'])
        .where('id', '=', input.contractId).where('supplier_id', '=', organisationId).executeTakeFirst();
      if (!contract) return { ok: false, reason: 'not-found' };
      if (contract.status !== 'active') return invalid('contractId', closedMessage(contract));
      // Delivery against a measure the contract already commits to is reported in a
      // return (where surplus is banked as earned credits), never claimed as well.
      if (input.kind === 'activity') {
        const committed = await tx.selectFrom('commitment').select('id').where('contract_id', '=', contract.id).where('measure_id', '=', input.measureId).executeTakeFirst();
        if (committed) return invalid('measureId', CLAIM_MESSAGES.measureCommitted(contract.reference));
      }
      const valued = await claimValue(tx, input, organisationId);
      if (!valued.ok) return valued;
      const { value } = valued;
      const now = nowIso();
      const id = newId();
      await tx.insertInto('credit_claim').values({
        id, contract_id: contract.id, supplier_id: organisationId, kind: input.kind,
        pledge_id: input.kind === 'pledge' ? input.pledgeId : null,
        measure_id: input.kind === 'activity' ? input.measureId : null,
        quantity_milli: input.kind === 'activity' ? input.quantityMilli : null,
        proxy_value_pence: value.proxyValuePence, uplift_percent: value.upliftPercent, description: value.description,
        requested_value_pence: value.valuePence, approved_value_pence: null, status: 'requested',
        decision_reason: null, decided_by: null, decided_at: null, created_by: userId, created_at: now, updated_at: now,
      }).execute();
      if (input.kind === 'activity') {
        if (files.length) {
          const attached = await attachClaimFiles(tx, id, files, userId);
          if (!attached.ok) throw new Refusal(invalid('evidence', attached.message));
        }
        for (const link of input.links ?? []) {
          const attached = await attachClaimLink(tx, id, link, userId);
          if (!attached.ok) throw new Refusal(invalid('evidence', attached.message));
        }
      }
      await recordAudit(tx, actor, {
        action: 'claim.requested', subjectType: 'credit_claim', subjectId: id,
        after: {
          contract_id: contract.id, kind: input.kind, pledge_id: input.kind === 'pledge' ? input.pledgeId : undefined,
          measure_id: input.kind === 'activity' ? input.measureId : undefined, quantity_milli: input.kind === 'activity' ? input.quantityMilli : undefined,
          requested_value_pence: value.valuePence, uplift_percent: value.upliftPercent, status: 'requested',
          evidence: input.kind === 'activity' ? files.length + (input.links?.length ?? 0) : 0,
        },
      });
      await notifyOfficer(tx, contract.id, id, value.valuePence);
      await rememberResult(tx, once, 'claim.create', id);
      return { ok: true, id };
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    // Two tabs claiming the same pledge: the partial unique index decides.
    if (isUniqueViolation(error) && input.kind === 'pledge') {
      const live = await db.selectFrom('credit_claim').select('status').where('pledge_id', '=', input.pledgeId).where('status', 'in', ['requested', 'approved']).executeTakeFirst();
      return invalid('pledgeId', pledgeTaken(live?.status ?? 'requested'));
    }
    throw error;
  } finally {
    if (files.length) await discardUnreferenced(db, files);
  }
}

/** The contract's responsible officer hears of a new claim (every active officer and admin while that account is deactivated). */
async function notifyOfficer(tx: Tx, contractId: string, claimId: string, valuePence: number) {
  const info = await tx.selectFrom('contract as c').innerJoin('user as o', 'o.id', 'c.officer_id').innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .select(['c.reference', 'c.title', 'o.id', 'o.email', 'o.status', 's.name as supplierName']).where('c.id', '=', contractId).executeTakeFirstOrThrow();
  const recipients = info.status === 'active'
    ? [{ id: info.id, email: info.email }]
    : await tx.selectFrom('user').select(['id', 'email']).where('role', 'in', ['officer', 'admin']).where('status', '=', 'active').orderBy('email').execute();
  for (const to of recipients) {
    await enqueueNotification(tx, {
      kind: 'claim_requested', toEmail: to.email, toUserId: to.id,
      subject: `Credit claim to decide: ${info.reference}`,
      body: `${info.supplierName} has claimed ${formatPence(valuePence)} of social value credits on contract ${info.reference} (${info.title}).\n\nDecide it in the portal:`,
      linkPath: `/credits/claims/${claimId}`,
      dedupeKey: `claim_requested:${claimId}:${to.id}`,
    });
  }
}

export const CLAIM_CLOSED_CONTRACT = 'The contract has closed, so no more credits can be added to it. Reject the claim, giving the reason';

export type DecideClaimResult =
  | { ok: true; id: string; status: 'approved' | 'rejected'; transactionId: string | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'forbidden' | 'own-claim' | 'conflict'; message: string }
  | { ok: false; reason: 'invalid'; field: 'approvedValue' | 'reason' | 'decision'; message: string };

/** "This claim was already approved by Priya Shah on 3 Mar 2026." */
export function claimDecidedMessage(c: { status: string; decidedByName?: string | null; decidedAt?: string | null }): string {
  if (c.status === 'withdrawn') return 'The contractor withdrew this claim, so there is nothing to decide.';
  const by = c.decidedByName ? ` by ${c.decidedByName}` : '';
  const on = c.decidedAt ? ` on ${formatDate(c.decidedAt)}` : '';
  return `This claim was already ${c.status}${by}${on}. Decisions are final.`;
}

async function decidedNow(tx: DbOrTx, claimId: string) {
  const row = await tx.selectFrom('credit_claim as c').leftJoin('user as d', 'd.id', 'c.decided_by')
    .select(['c.status', 'c.decided_at as decidedAt', 'd.name as decidedByName']).where('c.id', '=', claimId).executeTakeFirstOrThrow();
  return claimDecidedMessage(row);
}

/**
 * An officer's decision, once: the update applies only while the claim is
 * requested, so a second or simultaneous decision is a conflict and changes
 * nothing. Approval books `balance +X / claimed -X` in the same transaction.
 */
export async function decideClaim(db: Db, claimId: string, input: ClaimDecisionInput, actor: Actor): Promise<DecideClaimResult> {
  const deciderId = actor.userId;
  if (!deciderId) return { ok: false, reason: 'forbidden', message: 'Only council staff decide claims' };
  try {
    return await db.transaction().execute(async (tx): Promise<DecideClaimResult> => {
      const decider = await tx.selectFrom('user').select(['role', 'status']).where('id', '=', deciderId).executeTakeFirst();
      if (!decider || decider.status !== 'active' || (decider.role !== 'officer' && decider.role !== 'admin')) {
        return { ok: false, reason: 'forbidden', message: 'Only council staff decide claims' };
      }
      const claim = await tx.selectFrom('credit_claim as c').innerJoin('contract as k', 'k.id', 'c.contract_id')
        .select(['c.id', 'c.status', 'c.created_by', 'c.contract_id', 'c.supplier_id', 'c.requested_value_pence', 'c.description', 'c.kind', 'k.reference', 'k.status as contractStatus'])
        .where('c.id', '=', claimId).executeTakeFirst();
      if (!claim) return { ok: false, reason: 'not-found' };
      if (claim.created_by === deciderId) return { ok: false, reason: 'own-claim', message: 'You cannot decide a claim you made yourself. Ask another officer to decide it.' };
      if (claim.status !== 'requested') return { ok: false, reason: 'conflict', message: await decidedNow(tx, claimId) };
      const problem = checkClaimDecision(input, claim.requested_value_pence);
      if (problem) return { ok: false, reason: 'invalid', ...problem };
      // A closed contract takes no more credits (its balance may have expired with it): such a claim can only be rejected.
      if (input.decision === 'approve' && claim.contractStatus !== 'active') return { ok: false, reason: 'invalid', field: 'decision', message: CLAIM_CLOSED_CONTRACT };

      const status = input.decision === 'approve' ? 'approved' : 'rejected';
      const approved = status === 'approved' ? (input.approvedValuePence ?? claim.requested_value_pence) : null;
      const reason = input.reason?.trim() || null;
      const at = nowIso();
      const updated = await tx.updateTable('credit_claim')
        .set({ status, approved_value_pence: approved, decision_reason: reason, decided_by: deciderId, decided_at: at, updated_at: at })
        .where('id', '=', claimId).where('status', '=', 'requested').executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: await decidedNow(tx, claimId) };

      let transactionId: string | null = null;
      if (approved !== null) {
        transactionId = await bookTransaction(tx, {
          contractId: claim.contract_id, kind: 'claim', sourceType: 'credit_claim', sourceId: claimId, approvedBy: deciderId, at,
          reason: `Credit claim approved${approved !== claim.requested_value_pence ? ` (${formatPence(approved)} of ${formatPence(claim.requested_value_pence)} claimed)` : ''}: ${claim.description}`.slice(0, 500),
          postings: [{ kind: 'balance', amountPence: approved }, { kind: 'claimed', amountPence: -approved }],
        });
      }
      await recordAudit(tx, actor, {
        action: `claim.${status}`, subjectType: 'credit_claim', subjectId: claimId,
        before: { status: 'requested', requested_value_pence: claim.requested_value_pence },
        after: { status, approved_value_pence: approved, decision_reason: reason, decided_at: at, ledger_transaction_id: transactionId },
      });
      await notifyContractor(tx, claim, status, approved, reason, at);
      return { ok: true, id: claimId, status, transactionId };
    });
  } catch (error) {
    // A racing approval's booking (the ledger's unique source index) is the same conflict.
    if (error instanceof LedgerError && error.code === 'already-booked') return { ok: false, reason: 'conflict', message: await decidedNow(db, claimId) };
    throw error;
  }
}

/** Every active user of the contractor's organisation, and its contact address if different. */
async function notifyContractor(
  tx: Tx, claim: { id: string; supplier_id: string; reference: string; requested_value_pence: number },
  status: 'approved' | 'rejected', approved: number | null, reason: string | null, at: string,
) {
  const users = await tx.selectFrom('user').select(['id', 'email']).where('organisation_id', '=', claim.supplier_id).where('status', '=', 'active').orderBy('email').execute();
  const lead = status === 'approved'
    ? `Your credit claim on contract ${claim.reference} has been approved: ${formatPence(approved!)}${approved !== claim.requested_value_pence ? ` of the ${formatPence(claim.requested_value_pence)} claimed` : ''} is now on the contract’s credit balance.`
    : `Your credit claim on contract ${claim.reference} (${formatPence(claim.requested_value_pence)}) has been rejected.`;
  const body = reason ? `${lead}\n\nReason: ${reason}` : lead;
  for (const user of users) {
    await enqueueNotification(tx, {
      kind: 'claim_decided', toEmail: user.email, toUserId: user.id,
      subject: `Credit claim ${status}: ${claim.reference}`, body, linkPath: `/credits/claims/${claim.id}`,
      dedupeKey: `claim_decided:${claim.id}:${at}:${user.id}`,
    });
  }
}

export type WithdrawClaimResult = { ok: true } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'conflict'; message: string };

/** The contractor takes back a claim still awaiting a decision (which frees its pledge). */
export async function withdrawClaim(db: Db, claimId: string, actor: Actor): Promise<WithdrawClaimResult> {
  const organisationId = actor.organisationId;
  if (!actor.userId || !organisationId) return { ok: false, reason: 'not-found' };
  return db.transaction().execute(async (tx): Promise<WithdrawClaimResult> => {
    const claim = await tx.selectFrom('credit_claim').select(['id', 'status']).where('id', '=', claimId).where('supplier_id', '=', organisationId).executeTakeFirst();
    if (!claim) return { ok: false, reason: 'not-found' };
    const at = nowIso();
    const updated = await tx.updateTable('credit_claim').set({ status: 'withdrawn', updated_at: at })
      .where('id', '=', claimId).where('status', '=', 'requested').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: await decidedNow(tx, claimId) };
    await recordAudit(tx, actor, { action: 'claim.withdrawn', subjectType: 'credit_claim', subjectId: claimId, before: { status: 'requested' }, after: { status: 'withdrawn', withdrawn_at: at } });
    return { ok: true };
  });
}
