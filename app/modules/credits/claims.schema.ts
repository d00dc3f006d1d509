import { z } from 'zod';
import type { CreditRequestStatus } from '#db/schema';
import { formatPence, parsePounds, parseQuantity } from '~/modules/contracts/figures';
import { LINK_NUMBERS } from '~/modules/returns/returns.schema';
import { optionalText } from '~/utils/schema';

// Credit claims: the forms' rules and the words the pages use. No server
// imports: the pages use these too. The service checks every rule again.

export const CLAIM_KINDS = ['pledge', 'activity'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export const CLAIM_LIMITS = {
  description: 5000,
  reason: 2000,
  /** The most one claim may be worth (£10m): anything above is a typing slip or needs a conversation, not a form. */
  maxValuePence: 1_000_000_000,
} as const;

export const CLAIM_STATUS_LABELS: Record<CreditRequestStatus, string> = {
  requested: 'Awaiting decision',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export const CLAIM_STATUS_TAG_CLASSES: Record<CreditRequestStatus, string> = {
  requested: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  withdrawn: 'govuk-tag--grey',
};

export const CLAIM_KIND_LABELS: Record<ClaimKind, string> = {
  pledge: 'A confirmed wishlist pledge',
  activity: 'An activity against a measure',
};

export const CLAIM_MESSAGES = {
  kind: 'Select what the claim is for',
  contract: 'Select the contract to credit',
  pledge: 'Select one of your organisation’s confirmed pledges',
  measure: 'Select the measure the activity delivered',
  measureCommitted: (reference: string) => `${reference} already has a commitment on this measure: report that delivery in a progress return instead (delivery beyond the target is banked as credits). Choose another measure`,
  quantity: 'Enter the quantity delivered',
  quantityFormat: 'Enter the quantity as a number, like 12 or 2.5 (up to 3 decimal places)',
  quantityDecimals: 'Quantity must have no more than 3 decimal places',
  quantityPositive: 'Quantity must be more than 0',
  description: 'Describe the activity and who benefited',
  tooMuch: `A claim can be worth at most ${formatPence(CLAIM_LIMITS.maxValuePence)}. Split a larger contribution into separate claims, or talk to your contract manager`,
  decision: 'Select whether to approve or reject the claim',
  approvedFormat: 'Enter the approved amount in pounds and pence, like 1500 or 1500.50',
  approvedZero: 'Approved amount must be more than £0. To accept none of it, reject the claim',
  approvedTooBig: (requested: string) => `Approved amount must be no more than the ${requested} claimed`,
  approveReason: 'Enter the reason for approving less than the amount claimed',
  rejectReason: 'Enter the reason for rejecting the claim',
} as const;

/** Text → thousandths, refusing negatives, zero and more than 3 decimal places with their own messages. */
export function parseClaimQuantity(text: string): { ok: true; milli: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: CLAIM_MESSAGES.quantity };
  if (/^-/.test(trimmed)) return { ok: false, message: CLAIM_MESSAGES.quantityPositive };
  if (/^\d[\d,]*\.\d{4,}$/.test(trimmed)) return { ok: false, message: CLAIM_MESSAGES.quantityDecimals };
  const milli = trimmed.length > 30 ? null : parseQuantity(trimmed);
  if (milli === null) return { ok: false, message: CLAIM_MESSAGES.quantityFormat };
  if (milli <= 0) return { ok: false, message: CLAIM_MESSAGES.quantityPositive };
  return { ok: true, milli };
}

const linkFields = Object.fromEntries(LINK_NUMBERS.flatMap((n) => [
  [`linkUrl${n}`, optionalText(`link ${n} address`, 2000)],
  [`linkTitle${n}`, optionalText(`link ${n} title`, 200)],
])) as Record<`linkUrl${1 | 2 | 3}` | `linkTitle${1 | 2 | 3}`, ReturnType<typeof optionalText>>;

/**
 * The new-claim form. `intent` 'preview' re-renders the page with the value
 * the claim would have; 'send' makes the claim. Kind-specific fields are
 * checked here so each error sits by its field.
 */
export const newClaimSchema = z
  .object({
    intent: z.enum(['preview', 'send']).default('send'),
    kind: z.enum(CLAIM_KINDS, { errorMap: () => ({ message: CLAIM_MESSAGES.kind }) }),
    // Optional here and required in the transform, so a missing contract is reported with the other fields' errors.
    contractId: z.string({ invalid_type_error: CLAIM_MESSAGES.contract }).trim().max(40, CLAIM_MESSAGES.contract).optional(),
    pledgeId: z.string({ invalid_type_error: CLAIM_MESSAGES.pledge }).trim().max(40, CLAIM_MESSAGES.pledge).optional(),
    measureId: z.string({ invalid_type_error: CLAIM_MESSAGES.measure }).trim().max(40, CLAIM_MESSAGES.measure).optional(),
    quantity: optionalText('quantity', 40),
    description: optionalText('description', CLAIM_LIMITS.description),
    ...linkFields,
  })
  .transform((value, ctx) => {
    let quantityMilli: number | undefined;
    if (!value.contractId) ctx.addIssue({ code: 'custom', path: ['contractId'], message: CLAIM_MESSAGES.contract });
    if (value.kind === 'pledge') {
      if (!value.pledgeId) ctx.addIssue({ code: 'custom', path: ['pledgeId'], message: CLAIM_MESSAGES.pledge });
    } else {
      if (!value.measureId) ctx.addIssue({ code: 'custom', path: ['measureId'], message: CLAIM_MESSAGES.measure });
      const parsed = parseClaimQuantity(value.quantity ?? '');
      if (parsed.ok) quantityMilli = parsed.milli;
      else ctx.addIssue({ code: 'custom', path: ['quantity'], message: parsed.message });
      if (!value.description && value.intent === 'send') ctx.addIssue({ code: 'custom', path: ['description'], message: CLAIM_MESSAGES.description });
    }
    return { ...value, contractId: value.contractId ?? '', quantityMilli };
  });

export type NewClaimForm = z.input<typeof newClaimSchema>;
export type NewClaimValue = z.output<typeof newClaimSchema>;

export const CLAIM_DECISIONS = ['approve', 'reject'] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];

export interface ClaimDecisionInput {
  decision: ClaimDecision;
  /** Only for approve: less than requested (never more); absent = the amount requested. */
  approvedValuePence?: number;
  reason?: string;
}

/** The decision form's fields as conform sees them. */
export interface ClaimDecisionForm {
  decision: ClaimDecision;
  approvedValue?: string;
  reason?: string;
}

/** Checks a decision against the claim's requested value; null when it may stand. The form and the service share it. */
export function checkClaimDecision(input: ClaimDecisionInput, requestedPence: number): { field: 'approvedValue' | 'reason' | 'decision'; message: string } | null {
  if (input.decision !== 'approve' && input.decision !== 'reject') return { field: 'decision', message: CLAIM_MESSAGES.decision };
  if (input.decision === 'reject') return input.reason?.trim() ? null : { field: 'reason', message: CLAIM_MESSAGES.rejectReason };
  const approved = input.approvedValuePence ?? requestedPence;
  if (!Number.isSafeInteger(approved)) return { field: 'approvedValue', message: CLAIM_MESSAGES.approvedFormat };
  if (approved <= 0) return { field: 'approvedValue', message: CLAIM_MESSAGES.approvedZero };
  if (approved > requestedPence) return { field: 'approvedValue', message: CLAIM_MESSAGES.approvedTooBig(formatPence(requestedPence)) };
  if (approved !== requestedPence && !input.reason?.trim()) return { field: 'reason', message: CLAIM_MESSAGES.approveReason };
  return null;
}

/** The decision form's schema for a claim of `requestedPence`. */
export function claimDecisionSchema(requestedPence: number) {
  return z
    .object({
      decision: z.enum(CLAIM_DECISIONS, { errorMap: () => ({ message: CLAIM_MESSAGES.decision }) }),
      approvedValue: optionalText('approved amount', 30),
      reason: optionalText('reason', CLAIM_LIMITS.reason),
    })
    .transform((value, ctx): ClaimDecisionInput => {
      let approvedValuePence: number | undefined;
      if (value.decision === 'approve' && value.approvedValue) {
        const trimmed = value.approvedValue.trim();
        const pence = /^-/.test(trimmed) ? -1 : parsePounds(trimmed);
        if (pence === null) {
          ctx.addIssue({ code: 'custom', path: ['approvedValue'], message: CLAIM_MESSAGES.approvedFormat });
          return { decision: value.decision, reason: value.reason };
        }
        approvedValuePence = pence;
      }
      const input: ClaimDecisionInput = { decision: value.decision, approvedValuePence, reason: value.reason };
      const problem = checkClaimDecision(input, requestedPence);
      if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
      return input;
    });
}
