import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '#db/client';
import type { ReturnCommentKind, ReturnStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { formatPence, formatQuantity, valueOfQuantity } from '~/modules/contracts/figures';
import { bankSurplus } from '~/modules/credits/surplus.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { newId } from '~/utils/ids.server';
import { likeContains } from '~/utils/sql-like';
import { DAY, formatDate, nowIso } from '~/utils/time';
import { periodLabel } from './returns.present';
import { approvableQuantity, REVIEW_MESSAGES, surplusAfter, type Decision, type DecisionInput, type QueueFilters, type Surplus } from './review.schema';

// Officers review submitted progress returns (docs/returns.md, "Officers"):
// the queue, and the decision, which is final. Approval adds the approved
// quantity to commitment.delivered_milli in the same transaction
// (docs/decisions/0008-commitment-figures-kept-on-the-row.md), and banks any
// value it adds beyond the commitment's target as earned credits on the
// contract's balance, in that same transaction (docs/credits.md).

export const REVIEW_PAGE_SIZE = 25;

const DECIDED: ReturnStatus[] = ['approved', 'rejected', 'more_info_requested'];

/* --------------------------------------------------------------- the queue */

function queueRows(db: DbOrTx, filters: QueueFilters, now: Date) {
  let query = db
    .selectFrom('progress_return as r')
    .innerJoin('contract as c', 'c.id', 'r.contract_id')
    .innerJoin('organisation as s', 's.id', 'r.supplier_id')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id');
  // Drafts are the contractor's private work: never listed for staff.
  query = filters.status === 'decided' ? query.where('r.status', 'in', DECIDED) : query.where('r.status', '=', filters.status);
  if (filters.contract) {
    const text = filters.contract;
    query = query.where((eb) => eb.or([
      eb('c.id', '=', text),
      sql<boolean>`c.reference LIKE ${likeContains(text)} ESCAPE '\\'`,
      sql<boolean>`c.title LIKE ${likeContains(text)} ESCAPE '\\'`,
    ]));
  }
  if (filters.supplier) query = query.where('r.supplier_id', '=', filters.supplier);
  if (filters.theme) query = query.where('m.theme', '=', filters.theme);
  if (filters.olderThanDays) query = query.where('r.submitted_at', '<', nowIso(new Date(now.getTime() - filters.olderThanDays * DAY)));
  return query;
}

/** One page of the review queue, oldest submission first unless asked otherwise; counted and paged in SQL. */
export async function listReviewQueue(db: DbOrTx, filters: QueueFilters, page = 1, { pageSize = REVIEW_PAGE_SIZE, now = new Date() } = {}) {
  const order = filters.sort === 'newest' ? 'desc' : 'asc';
  const [count, rows] = await Promise.all([
    queueRows(db, filters, now).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    queueRows(db, filters, now)
      .select([
        'r.id', 'r.status', 'r.submitted_at as submittedAt', 'r.period_start as periodStart', 'r.period_end as periodEnd',
        'r.quantity_milli as quantityMilli', 'r.approved_quantity_milli as approvedQuantityMilli', 'r.is_story as isStory',
        'r.decided_at as decidedAt', 'c.id as contractId', 'c.reference as contractReference', 's.id as supplierId', 's.name as supplierName',
        'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'm.theme',
      ])
      .orderBy('r.submitted_at', order)
      .orderBy('r.id', order)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    returns: rows.map((row) => ({
      ...row,
      isStory: row.isStory === 1,
      ageDays: row.submittedAt ? Math.max(0, Math.floor((now.getTime() - new Date(row.submittedAt).getTime()) / DAY)) : 0,
    })),
  };
}

export type QueueRow = Awaited<ReturnType<typeof listReviewQueue>>['returns'][number];

/** Returns waiting for an officer: the navigation's badge. */
export async function countAwaitingReview(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('progress_return').select(sql<number>`count(*)`.as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Suppliers that have sent returns (for the queue's filter). */
export function listQueueSuppliers(db: DbOrTx) {
  return db
    .selectFrom('organisation as s')
    .select(['s.id', 's.name'])
    .where('s.kind', '=', 'supplier')
    .where(({ exists, selectFrom }) => exists(selectFrom('progress_return as r').select('r.id').whereRef('r.supplier_id', '=', 's.id').where('r.status', '!=', 'draft')))
    .orderBy(sql`s.name COLLATE NOCASE`)
    .execute();
}

/* ------------------------------------------------------------- one return */

/** A return as staff see it, with its commitment's figures and who decided it; undefined for a draft (the contractor's private work). */
export async function findReturnForReview(db: DbOrTx, returnId: string) {
  const row = await db
    .selectFrom('progress_return as r')
    .innerJoin('contract as c', 'c.id', 'r.contract_id')
    .innerJoin('organisation as s', 's.id', 'r.supplier_id')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .leftJoin('user as d', 'd.id', 'r.decided_by')
    .select([
      'r.id', 'r.status', 'r.commitment_id as commitmentId', 'r.period_start as periodStart', 'r.period_end as periodEnd',
      'r.quantity_milli as quantityMilli', 'r.approved_quantity_milli as approvedQuantityMilli', 'r.narrative', 'r.is_story as isStory',
      'r.decision_reason as decisionReason', 'r.decided_at as decidedAt', 'd.name as decidedByName', 'r.submitted_at as submittedAt',
      'r.first_submitted_at as firstSubmittedAt', 'r.created_by as createdBy', 'r.updated_at as updatedAt',
      'c.id as contractId', 'c.reference as contractReference', 'c.title as contractTitle', 'c.status as contractStatus', 's.id as supplierId', 's.name as supplierName',
      's.contact_email as supplierEmail', 'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'm.theme',
      'cm.target_milli as targetMilli', 'cm.delivered_milli as deliveredMilli', 'cm.substituted_milli as substitutedMilli',
      'cm.proxy_value_pence as proxyValuePence',
    ])
    .where('r.id', '=', returnId)
    .where('r.status', '!=', 'draft')
    .executeTakeFirst();
  return row ? { ...row, isStory: row.isStory === 1 } : undefined;
}

export type ReturnForReview = NonNullable<Awaited<ReturnType<typeof findReturnForReview>>>;

/** The return's evidence, oldest first. */
export function listEvidenceForReview(db: DbOrTx, returnId: string) {
  return db
    .selectFrom('return_evidence')
    .select(['id', 'kind', 'file_name as fileName', 'size_bytes as sizeBytes', 'url', 'title'])
    .where('return_id', '=', returnId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

const PAST: Record<Exclude<ReturnStatus, 'draft' | 'submitted'>, string> = {
  approved: 'approved',
  rejected: 'rejected',
  more_info_requested: 'sent back for more information',
};

/** "This return was already approved by Ann Officer on 3 Mar 2026." */
export function decidedMessage(r: Pick<ReturnForReview, 'status' | 'decidedByName' | 'decidedAt'>): string {
  if (r.status === 'draft' || r.status === 'submitted') return 'This return is waiting for a decision.';
  const by = r.decidedByName ? ` by ${r.decidedByName}` : '';
  const on = r.decidedAt ? ` on ${formatDate(r.decidedAt)}` : '';
  return `This return was already ${PAST[r.status]}${by}${on}. Decisions are final.`;
}

/* ------------------------------------------------------------ the decision */

export type DecideResult =
  | { ok: true; id: string; status: Exclude<ReturnStatus, 'draft' | 'submitted'>; surplus: Surplus | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict' | 'own-return'; message: string }
  | { ok: false; reason: 'invalid'; field: 'approvedQuantity' | 'reason'; message: string };

const STATUS_OF: Record<Decision, Exclude<ReturnStatus, 'draft' | 'submitted'>> = { approve: 'approved', reject: 'rejected', more_info: 'more_info_requested' };
export const RESUBMITTED = 'The contractor has resubmitted this return since you opened it. Open it again to see what changed before you decide.';

/** The rules the form also checks, for callers other than the form. */
function checkInput(r: ReturnForReview, input: DecisionInput): Extract<DecideResult, { reason: 'invalid' }> | null {
  const invalid = (field: 'approvedQuantity' | 'reason', message: string) => ({ ok: false as const, reason: 'invalid' as const, field, message });
  if (input.decision === 'approve') {
    const approved = input.approvedQuantityMilli ?? r.quantityMilli;
    if (!approvableQuantity(approved, r.quantityMilli)) return invalid('approvedQuantity', REVIEW_MESSAGES.quantityZero);
    if (approved > r.quantityMilli) return invalid('approvedQuantity', REVIEW_MESSAGES.quantityTooBig(formatQuantity(r.quantityMilli, r.unit)));
    if (approved !== r.quantityMilli && !input.reason) return invalid('reason', REVIEW_MESSAGES.approveReason);
  } else if (!input.reason) {
    return invalid('reason', input.decision === 'reject' ? REVIEW_MESSAGES.rejectReason : REVIEW_MESSAGES.moreInfo);
  }
  return null;
}

/**
 * Approves (optionally a smaller quantity, with a reason), rejects (with a
 * reason) or asks for more information (with a message), once: the update
 * only applies while the return is still submitted, so a second decision,
 * even a simultaneous one, is a conflict and changes nothing.
 */
export async function decideReturn(db: Db, returnId: string, input: DecisionInput, actor: Actor, now = new Date()): Promise<DecideResult> {
  const deciderId = actor.userId;
  if (!deciderId) throw new Error('A decision needs a signed-in officer');
  return db.transaction().execute(async (tx): Promise<DecideResult> => {
    const before = await findReturnForReview(tx, returnId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.createdBy === deciderId) return { ok: false, reason: 'own-return', message: 'You cannot decide a return you made yourself. Ask another officer to review it.' };
    if (before.status !== 'submitted') return { ok: false, reason: 'conflict', message: decidedMessage(before) };
    if (input.version && input.version !== before.submittedAt) return { ok: false, reason: 'conflict', message: RESUBMITTED };
    const problem = checkInput(before, input);
    if (problem) return problem;

    const status = STATUS_OF[input.decision];
    const at = nowIso(now);
    const approved = input.decision === 'approve' ? (input.approvedQuantityMilli ?? before.quantityMilli) : null;
    const reason = input.reason || null;
    let update = tx
      .updateTable('progress_return')
      .set({ status, approved_quantity_milli: approved, decision_reason: reason, decided_by: deciderId, decided_at: at, updated_at: at })
      .where('id', '=', returnId)
      .where('status', '=', 'submitted');
    if (before.submittedAt) update = update.where('submitted_at', '=', before.submittedAt);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const now2 = await findReturnForReview(tx, returnId);
      return { ok: false, reason: 'conflict', message: now2 && now2.status === 'submitted' ? RESUBMITTED : decidedMessage(now2 ?? before) };
    }

    let surplus: Surplus | null = null;
    let commitment: { deliveredMilliBefore: number; deliveredMilliAfter: number } | undefined;
    if (approved !== null) {
      const after = await tx
        .updateTable('commitment')
        .set((eb) => ({ delivered_milli: eb('delivered_milli', '+', approved) }))
        .where('id', '=', before.commitmentId)
        .returning(['delivered_milli', 'target_milli', 'substituted_milli', 'proxy_value_pence'])
        .executeTakeFirstOrThrow();
      commitment = { deliveredMilliBefore: after.delivered_milli - approved, deliveredMilliAfter: after.delivered_milli };
      // A nil return (0 approved of 0 claimed) adds nothing, so it reports no surplus even past the target.
      if (approved > 0) surplus = surplusAfter(
        { targetMilli: after.target_milli, substitutedMilli: after.substituted_milli, deliveredBeforeMilli: commitment.deliveredMilliBefore, deliveredAfterMilli: after.delivered_milli },
        (milli) => valueOfQuantity(milli, after.proxy_value_pence),
      );
    }

    // The surplus this approval added is banked as earned credits; if the ledger refuses, the approval rolls back with it.
    // A closed contract takes no more credits (its ledger never changes again, docs/credits.md): the delivery counts, nothing is banked.
    let banked: { transactionId: string; valuePence: number } | null = null;
    const closed = before.contractStatus !== 'active';
    if (surplus && surplus.addedValuePence > 0 && !closed) {
      const transactionId = await bankSurplus(tx, {
        contractId: before.contractId, returnId, commitmentLabel: `${before.measureCode} ${before.measureTitle}`,
        periodLabel: periodLabel(before.periodStart, before.periodEnd), unit: before.unit,
        addedMilli: surplus.addedMilli, addedValuePence: surplus.addedValuePence, approvedBy: deciderId, at,
      });
      if (transactionId) banked = { transactionId, valuePence: surplus.addedValuePence };
    }

    const body = commentBody(before, input, approved, surplus, banked?.valuePence ?? 0, closed);
    await tx.insertInto('return_comment').values({ id: newId(), return_id: returnId, author_id: deciderId, kind: status satisfies ReturnCommentKind, body, created_at: at }).execute();
    await recordAudit(tx, actor, {
      action: `return.${status}`, subjectType: 'progress_return', subjectId: returnId,
      before: { status: before.status, quantityMilli: before.quantityMilli, approvedQuantityMilli: before.approvedQuantityMilli, commitment: commitment ? { deliveredMilli: commitment.deliveredMilliBefore } : undefined },
      after: {
        status, approvedQuantityMilli: approved, decisionReason: reason, decidedAt: at,
        commitment: commitment ? { id: before.commitmentId, deliveredMilli: commitment.deliveredMilliAfter } : undefined,
        surplus: surplus ?? undefined,
        creditsBanked: banked ?? undefined,
      },
    });
    await notifyContractor(tx, before, status, body, at);
    return { ok: true, id: returnId, status, surplus };
  });
}

/** The decision as it appears in the return's thread. */
function commentBody(r: ReturnForReview, input: DecisionInput, approved: number | null, surplus: Surplus | null, bankedPence: number, closed: boolean): string {
  const parts: string[] = [];
  if (approved !== null && approved !== r.quantityMilli) parts.push(`Approved ${formatQuantity(approved, r.unit)} of the ${formatQuantity(r.quantityMilli, r.unit)} claimed.`);
  if (input.reason) parts.push(input.reason);
  if (surplus) {
    const banked = bankedPence > 0 ? ` ${formatPence(bankedPence)} delivered beyond the target by this return has been banked as credits on the contract\u2019s balance.`
      : closed && surplus.addedValuePence > 0 ? ' No credits were banked for it: the contract has closed, and a closed contract takes no more credits.' : '';
    parts.push(`Delivery now exceeds the target by ${formatQuantity(surplus.quantityMilli, r.unit)} (${formatPence(surplus.valuePence)}).${banked}`);
  }
  return parts.join('\n\n');
}

const SUBJECTS: Record<Exclude<ReturnStatus, 'draft' | 'submitted'>, string> = {
  approved: 'approved',
  rejected: 'rejected',
  more_info_requested: 'more information needed',
};

/** Emails the return's author (if still active) and the supplier's contact address (if set and different). */
async function notifyContractor(tx: Tx, r: ReturnForReview, status: Exclude<ReturnStatus, 'draft' | 'submitted'>, body: string, at: string) {
  const author = await tx.selectFrom('user').select(['id', 'email', 'status']).where('id', '=', r.createdBy).executeTakeFirst();
  const recipients = new Map<string, string | null>();
  if (author && author.status === 'active') recipients.set(author.email.toLowerCase(), author.id);
  if (r.supplierEmail && !recipients.has(r.supplierEmail.toLowerCase())) recipients.set(r.supplierEmail.toLowerCase(), null);
  const what = `${r.contractReference} ${r.measureCode}, ${formatDate(r.periodStart)} to ${formatDate(r.periodEnd)}`;
  const lead = status === 'more_info_requested'
    ? `The council needs more information about your progress return for ${what}. Edit the return and submit it again.`
    : `Your progress return for ${what} has been ${status}.`;
  for (const [email, userId] of recipients) {
    await enqueueNotification(tx, {
      kind: 'return_decided', toEmail: email, toUserId: userId,
      subject: `Progress return ${SUBJECTS[status]}: ${r.contractReference} ${r.measureCode}`,
      body: body ? `${lead}\n\n${body}` : lead,
      linkPath: `/returns/${r.id}`,
      dedupeKey: `return_decided:${r.id}:${at}:${email}`,
    });
  }
}
