import { z } from 'zod';
import type { ReturnStatus } from '#db/schema';
import { parseQuantity } from '~/modules/contracts/figures';
import { optionalText } from '~/utils/schema';

// The officer's review: the decision form's rules, the queue's filters, and the
// surplus arithmetic. No server imports: the pages use these too.

export const DECISIONS = ['approve', 'reject', 'more_info'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_LABELS: Record<Decision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  more_info: 'Ask for more information',
};

export const REVIEW_LIMITS = { reason: 2000 } as const;

export const REVIEW_MESSAGES = {
  decision: 'Select whether to approve the return, reject it or ask for more information',
  quantityFormat: 'Enter the approved quantity as a number, like 12 or 2.5 (up to 3 decimal places)',
  quantityZero: 'Approved quantity must be more than 0. To accept none of it, reject the return',
  quantityTooBig: (claimed: string) => `Approved quantity must be no more than the ${claimed} claimed. Ask for more information if the contractor under-reported`,
  approveReason: 'Enter the reason for approving a different quantity from the one claimed',
  rejectReason: 'Enter the reason for rejecting the return',
  moreInfo: 'Enter what more information the contractor needs to send',
} as const;

export interface DecisionInput {
  decision: Decision;
  /** Thousandths of a unit; only for approve. Absent = the quantity claimed. */
  approvedQuantityMilli?: number;
  /** The reason (approve with a different quantity, reject) or the message (more information). */
  reason?: string;
  /** The return's submitted_at when the form was loaded: a resubmission since then makes the decision stale. */
  version?: string;
}

/**
 * Whether an approval of `approvedMilli` may stand, the claim's ceiling aside:
 * more than 0, except that a nil return (0 claimed: nothing delivered this
 * period, said truthfully) is approved as 0 and so closes its period. Approving
 * 0 of a positive claim is a rejection, and must be made as one.
 */
export function approvableQuantity(approvedMilli: number, claimedMilli: number): boolean {
  if (!Number.isSafeInteger(approvedMilli) || approvedMilli < 0) return false;
  return approvedMilli > 0 || claimedMilli === 0;
}

/** The decision form's fields as conform sees them. */
export interface DecisionForm {
  decision: Decision;
  approvedQuantity?: string;
  reason?: string;
  version?: string;
}

/**
 * The decision form's schema for a return that claims `claimedMilli`: the
 * approved quantity may not exceed the claim, and approving a different
 * quantity needs a reason. The service checks the same rules again.
 */
export function decisionSchema(claimedMilli: number, formatClaimed: (milli: number) => string = String) {
  return z
    .object({
      decision: z.enum(DECISIONS, { errorMap: () => ({ message: REVIEW_MESSAGES.decision }) }),
      approvedQuantity: optionalText('approved quantity', 30),
      reason: optionalText('reason', REVIEW_LIMITS.reason),
      version: z.string().max(40).optional(),
    })
    .transform((value, ctx): DecisionInput => {
      const { decision, reason, version } = value;
      if (decision !== 'approve') {
        if (!reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: decision === 'reject' ? REVIEW_MESSAGES.rejectReason : REVIEW_MESSAGES.moreInfo });
        return { decision, reason, version };
      }
      let approvedQuantityMilli: number | undefined;
      if (value.approvedQuantity) {
        const milli = parseQuantity(value.approvedQuantity);
        if (milli === null) ctx.addIssue({ code: 'custom', path: ['approvedQuantity'], message: REVIEW_MESSAGES.quantityFormat });
        else if (!approvableQuantity(milli, claimedMilli)) ctx.addIssue({ code: 'custom', path: ['approvedQuantity'], message: REVIEW_MESSAGES.quantityZero });
        else if (milli > claimedMilli) ctx.addIssue({ code: 'custom', path: ['approvedQuantity'], message: REVIEW_MESSAGES.quantityTooBig(formatClaimed(claimedMilli)) });
        else approvedQuantityMilli = milli;
      }
      if (approvedQuantityMilli !== undefined && approvedQuantityMilli !== claimedMilli && !reason) {
        ctx.addIssue({ code: 'custom', path: ['reason'], message: REVIEW_MESSAGES.approveReason });
      }
      return { decision, approvedQuantityMilli, reason, version };
    });
}

/* ------------------------------------------------------------- the surplus */

export interface Surplus {
  /** How far delivery (plus substitution) now exceeds the target, in thousandths. */
  quantityMilli: number;
  valuePence: number;
  /** The part of the surplus this approval added (earlier approvals added the rest). */
  addedMilli: number;
  addedValuePence: number;
}

/**
 * Delivery beyond the target after an approval. Substituted quantity (approved
 * swaps) counts towards the target, as it does for "remaining". Null when the
 * target is not exceeded. Pure integer arithmetic; value as valueOfQuantity().
 */
export function surplusAfter(
  { targetMilli, substitutedMilli, deliveredBeforeMilli, deliveredAfterMilli }: { targetMilli: number; substitutedMilli: number; deliveredBeforeMilli: number; deliveredAfterMilli: number },
  valueOf: (milli: number) => number,
): Surplus | null {
  const over = (delivered: number) => Math.max(0, delivered + substitutedMilli - targetMilli);
  const quantityMilli = over(deliveredAfterMilli);
  if (quantityMilli === 0) return null;
  const beforeMilli = over(deliveredBeforeMilli);
  const valuePence = valueOf(quantityMilli);
  // The value added is the surplus's value now less its value before (not the
  // added quantity valued on its own), so what successive approvals bank adds
  // up to exactly the value of the whole surplus, whatever each one rounds.
  return { quantityMilli, valuePence, addedMilli: quantityMilli - beforeMilli, addedValuePence: valuePence - valueOf(beforeMilli) };
}

/* --------------------------------------------------------------- the queue */

export const QUEUE_STATUSES = ['submitted', 'more_info_requested', 'approved', 'rejected', 'decided'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export const QUEUE_STATUS_LABELS: Record<QueueStatus, string> = {
  submitted: 'Awaiting review',
  more_info_requested: 'More information requested',
  approved: 'Approved',
  rejected: 'Rejected',
  decided: 'Any decision',
};

export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  draft: 'Draft',
  submitted: 'Awaiting review',
  approved: 'Approved',
  rejected: 'Rejected',
  more_info_requested: 'More information requested',
};

export const RETURN_STATUS_TAGS: Record<ReturnStatus, string> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  more_info_requested: 'govuk-tag--yellow',
};

/** "Waiting more than N days" (since submitted). */
export const QUEUE_AGES = [7, 14, 30] as const;
export type QueueAge = (typeof QUEUE_AGES)[number];

export const QUEUE_SORTS = { oldest: 'Oldest first', newest: 'Newest first' } as const;
export type QueueSort = keyof typeof QUEUE_SORTS;

export interface QueueFilters {
  status: QueueStatus;
  /** A contract's id, or text found in its reference or title. */
  contract?: string;
  supplier?: string;
  theme?: string;
  olderThanDays?: QueueAge;
  sort: QueueSort;
}

const short = (value: string | null, max = 100) => {
  const text = value?.trim();
  return text && text.length <= max ? text : undefined;
};

/** The queue's query string, leniently: a value that makes no sense is ignored, never an error. */
export function parseQueueFilters(params: URLSearchParams): QueueFilters {
  const status = params.get('status');
  const age = Number(params.get('age'));
  const sort = params.get('sort');
  return {
    status: (QUEUE_STATUSES as readonly string[]).includes(status ?? '') ? (status as QueueStatus) : 'submitted',
    contract: short(params.get('contract')),
    supplier: short(params.get('supplier')),
    theme: short(params.get('theme')),
    olderThanDays: (QUEUE_AGES as readonly number[]).includes(age) ? (age as QueueAge) : undefined,
    sort: sort && Object.hasOwn(QUEUE_SORTS, sort) ? (sort as QueueSort) : 'oldest',
  };
}
