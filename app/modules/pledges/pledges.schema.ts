import { z } from 'zod';
import type { PledgeStatus } from '#db/schema';
import { dateInput } from '~/modules/contracts/contracts.schema';
import { addYears } from '~/modules/contracts/dates';
import { formatPence, parsePounds } from '~/modules/contracts/figures';
import { optionalText, requiredText } from '~/utils/schema';
import { formatDate } from '~/utils/time';
import { PLEDGE_STEPS, TRANSITIONS, type PledgeStep } from './lifecycle';

// The pledge forms' rules and the words the pages use. No server imports.

export const PLEDGE_LIMITS = {
  description: 2000,
  reason: 2000,
  note: 2000,
  /** £1 million: no single pledge to a community need is bigger; a typo is not a pledge. */
  valuePence: 100_000_000,
  /** The expected date may be up to this many years ahead. */
  yearsAhead: 2,
} as const;

export const PLEDGE_STATUSES: readonly PledgeStatus[] = ['offered', 'accepted', 'declined', 'delivered', 'confirmed', 'disputed', 'withdrawn'];

export const PLEDGE_STATUS_LABELS: Record<PledgeStatus, string> = {
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
  delivered: 'Delivered',
  confirmed: 'Confirmed',
  disputed: 'Disputed',
  withdrawn: 'Withdrawn',
};

export const PLEDGE_TAG_CLASSES: Record<PledgeStatus, string> = {
  offered: 'govuk-tag--blue',
  accepted: 'govuk-tag--turquoise',
  declined: 'govuk-tag--grey',
  delivered: 'govuk-tag--purple',
  confirmed: 'govuk-tag--green',
  disputed: 'govuk-tag--orange',
  withdrawn: 'govuk-tag--grey',
};

/** How each step reads in the pledge's history ("Accepted the pledge", by whom, when). */
export const HISTORY_LABELS: Record<PledgeStep | 'offer', string> = {
  offer: 'Offered the pledge',
  accept: 'Accepted the pledge',
  decline: 'Declined the pledge',
  deliver: 'Marked it delivered',
  confirm: 'Confirmed it was received',
  dispute: 'Disputed the delivery',
  withdraw: 'Withdrew the pledge',
};

/** The audit action of each step, and the reverse (the history is read from the audit trail). */
export const STEP_ACTIONS: Record<PledgeStep | 'offer', string> = {
  offer: 'pledge.offered',
  accept: 'pledge.accepted',
  decline: 'pledge.declined',
  deliver: 'pledge.delivered',
  confirm: 'pledge.confirmed',
  dispute: 'pledge.disputed',
  withdraw: 'pledge.withdrawn',
};

/* ------------------------------------------------------------ the offer */

export const PLEDGE_MESSAGES = {
  description: 'Describe what you will give',
  value: 'Enter the value of what you will give, in pounds',
  valueFormat: 'Enter the value in pounds, like 250 or £1,250.50',
  valueZero: 'Value must be more than £0',
  valueTooBig: (maxPence: number, ofEstimate: boolean) =>
    ofEstimate ? `Value must be ${formatPence(maxPence)} or less, the organisation’s estimate for this need` : `Value must be ${formatPence(maxPence)} or less`,
  datePast: 'Expected date must be today or in the future',
  dateFar: (latest: string) => `Expected date must be on or before ${formatDate(latest)}`,
  declineReason: 'Enter the reason you are declining this pledge',
  disputeReason: 'Say what is wrong with the delivery',
  deliverNote: 'Say what was delivered and when',
  chooseAnswer: 'Choose an answer',
} as const;

const checkbox = z.unknown().transform((v) => v === 'on' || v === 'true' || v === 'yes');

/**
 * The pledge form. `today` (Europe/London) bounds the expected date; a pledge's
 * value is at most the item's estimate (when it has one) and never above the cap.
 */
export function offerSchema({ today, estimatePence }: { today: string; estimatePence: number }) {
  const maxPence = estimatePence > 0 ? Math.min(estimatePence, PLEDGE_LIMITS.valuePence) : PLEDGE_LIMITS.valuePence;
  const latest = addYears(today, PLEDGE_LIMITS.yearsAhead);
  return z
    .object({
      description: requiredText('description', PLEDGE_LIMITS.description, PLEDGE_MESSAGES.description),
      value: z
        .string({ required_error: PLEDGE_MESSAGES.value, invalid_type_error: PLEDGE_MESSAGES.valueFormat })
        .trim()
        .min(1, PLEDGE_MESSAGES.value)
        .max(30, PLEDGE_MESSAGES.valueFormat)
        .transform((text, ctx) => {
          const pence = parsePounds(text);
          if (pence === null) {
            ctx.addIssue({ code: 'custom', message: PLEDGE_MESSAGES.valueFormat });
            return z.NEVER;
          }
          if (pence <= 0) {
            ctx.addIssue({ code: 'custom', message: PLEDGE_MESSAGES.valueZero });
            return z.NEVER;
          }
          if (pence > maxPence) {
            ctx.addIssue({ code: 'custom', message: PLEDGE_MESSAGES.valueTooBig(maxPence, estimatePence > 0 && maxPence === estimatePence) });
            return z.NEVER;
          }
          return pence;
        }),
      expectedDate: dateInput('expected date').pipe(
        z.string().refine((d) => d >= today, PLEDGE_MESSAGES.datePast).refine((d) => d <= latest, PLEDGE_MESSAGES.dateFar(latest)),
      ),
      contractId: z.string({ invalid_type_error: 'Select a contract from the list' }).trim().max(100, 'Select a contract from the list').optional(),
      isStory: checkbox,
    });
}

export type OfferForm = z.input<ReturnType<typeof offerSchema>>;
export type OfferInput = z.output<ReturnType<typeof offerSchema>>;

/* ------------------------------------------------------------ the steps */

/**
 * One schema for every step's form: `intent` is the step (a radio or the
 * button pressed), `version` the pledge's updated_at when the page was loaded.
 * Declining and disputing need a reason; delivering needs a note.
 */
export const stepSchema = z
  .object({
    intent: z.enum(PLEDGE_STEPS as [PledgeStep, ...PledgeStep[]], { errorMap: () => ({ message: PLEDGE_MESSAGES.chooseAnswer }) }),
    version: z.string().max(40).optional(),
    reason: optionalText('reason', PLEDGE_LIMITS.reason),
    note: optionalText('note', PLEDGE_LIMITS.note),
  })
  .superRefine((v, ctx) => {
    const needs = TRANSITIONS[v.intent].needs;
    if (needs === 'reason' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: v.intent === 'decline' ? PLEDGE_MESSAGES.declineReason : PLEDGE_MESSAGES.disputeReason });
    }
    if (needs === 'note' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: PLEDGE_MESSAGES.deliverNote });
  });

export type StepForm = z.input<typeof stepSchema>;
export type StepInput = z.output<typeof stepSchema>;

/* ------------------------------------------------------------ the list */

export type PledgeListFilter = { status?: PledgeStatus };

export function parsePledgeStatus(value: string | null): PledgeStatus | undefined {
  return PLEDGE_STATUSES.includes(value as PledgeStatus) ? (value as PledgeStatus) : undefined;
}
