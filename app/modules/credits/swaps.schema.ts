import { z } from 'zod';
import type { CreditRequestStatus } from '#db/schema';
import { dateInput, type DateParts } from '~/modules/contracts/contracts.schema';
import { parseQuantity } from '~/modules/contracts/figures';
import { optionalText, requiredText } from '~/utils/schema';
import { SWAP_MESSAGES, type SwapMethod } from './swap-rules';

// The swap forms' rules (docs/swaps.md). No server imports: the pages use these too.

export const SWAP_LIMITS = { reason: 2000, decisionReason: 2000 } as const;

export const SWAP_METHODS = ['credits', 'measure'] as const satisfies readonly SwapMethod[];
export const SWAP_METHOD_LABELS: Record<SwapMethod, string> = {
  credits: 'Spend credits from the contract’s balance',
  measure: 'Deliver another measure of at least equal value instead',
};

export const SWAP_STATUS_LABELS: Record<CreditRequestStatus, string> = {
  requested: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/** A quantity typed in a form: more than 0, up to 3 decimal places, in thousandths. */
const quantityField = (message: string) =>
  z
    .string({ required_error: message, invalid_type_error: message })
    .trim()
    .min(1, message)
    .max(30, message)
    .transform((text, ctx) => {
      const milli = parseQuantity(text);
      if (milli === null || milli <= 0) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return milli;
    });

const optionalId = z.string({ invalid_type_error: 'Select an option from the list' }).trim().max(100, 'Select an option from the list').optional();

/** The due date is optional: blank means the due date of the commitment being met. */
const optionalDate = z.unknown().transform((value, ctx) => {
  const parts = value && typeof value === 'object' ? Object.values(value as Record<string, unknown>) : [];
  if (parts.every((p) => typeof p !== 'string' || p.trim() === '')) return undefined;
  const parsed = dateInput('due date').safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});

export const SWAP_FORM_MESSAGES = {
  method: 'Select how you will meet this part of the commitment',
  toMeasure: 'Select the measure you will deliver instead',
  reason: 'Enter why you cannot deliver this part of the commitment as written',
} as const;

export const swapRequestSchema = z
  .object({
    intent: z.enum(['check', 'send']).default('send'),
    method: z.enum(SWAP_METHODS, { errorMap: () => ({ message: SWAP_FORM_MESSAGES.method }) }),
    quantity: quantityField(SWAP_MESSAGES.quantity),
    toMeasureId: optionalId,
    toCommitmentId: optionalId,
    toQuantity: z.string({ invalid_type_error: SWAP_MESSAGES.toQuantity }).trim().max(30, SWAP_MESSAGES.toQuantity).optional(),
    toDueDate: optionalDate,
    reason: z.string({ invalid_type_error: 'Reason must be text' }).optional(),
  })
  .transform((v, ctx) => {
    let toQuantityMilli: number | undefined;
    if (v.method === 'measure') {
      if (!v.toMeasureId) ctx.addIssue({ code: 'custom', path: ['toMeasureId'], message: SWAP_FORM_MESSAGES.toMeasure });
      const milli = v.toQuantity ? parseQuantity(v.toQuantity) : null;
      if (milli === null || milli <= 0) ctx.addIssue({ code: 'custom', path: ['toQuantity'], message: SWAP_MESSAGES.toQuantity });
      else toQuantityMilli = milli;
    }
    const reason = requiredText('reason', SWAP_LIMITS.reason, SWAP_FORM_MESSAGES.reason).safeParse(v.reason ?? '');
    // "Check values" may leave the reason for later; sending needs it.
    if (!reason.success && v.intent === 'send') ctx.addIssue({ code: 'custom', path: ['reason'], message: reason.error.issues[0]!.message });
    return {
      intent: v.intent,
      method: v.method,
      quantityMilli: v.quantity,
      toMeasureId: v.method === 'measure' ? v.toMeasureId : undefined,
      toCommitmentId: v.method === 'measure' && v.toCommitmentId ? v.toCommitmentId : undefined,
      toQuantityMilli,
      toDueDate: v.method === 'measure' ? v.toDueDate : undefined,
      reason: reason.success ? reason.data : '',
    };
  });

export type SwapRequestForm = Omit<z.input<typeof swapRequestSchema>, 'toDueDate'> & { toDueDate?: DateParts };

export const SWAP_DECISIONS = ['approve', 'reject'] as const;
export type SwapDecision = (typeof SWAP_DECISIONS)[number];

export const SWAP_DECISION_MESSAGES = {
  decision: 'Select whether to approve or reject the swap',
  approveReason: 'Enter the reason for approving the swap',
  rejectReason: 'Enter the reason for rejecting the swap',
} as const;

export const swapDecisionSchema = z
  .object({
    decision: z.enum(SWAP_DECISIONS, { errorMap: () => ({ message: SWAP_DECISION_MESSAGES.decision }) }),
    reason: optionalText('reason', SWAP_LIMITS.decisionReason),
  })
  .superRefine((v, ctx) => {
    if (!v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: v.decision === 'approve' ? SWAP_DECISION_MESSAGES.approveReason : SWAP_DECISION_MESSAGES.rejectReason });
  })
  .transform((v) => ({ decision: v.decision, reason: v.reason ?? '' }));

export type SwapDecisionInput = z.output<typeof swapDecisionSchema>;
export type SwapDecisionForm = z.input<typeof swapDecisionSchema>;
