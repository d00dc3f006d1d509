import { z } from 'zod';
import type { ReturnCommentKind, ReturnStatus } from '#db/schema';
import { CONTRACT_LIMITS } from '~/modules/contracts/contracts.schema';
import { formatQuantity, parseQuantity } from '~/modules/contracts/figures';
import { optionalText, requiredText } from '~/utils/schema';

// The progress return forms' rules. No server imports: the pages use these too.

export const RETURN_LIMITS = {
  narrative: 5000,
  comment: 5000,
  reply: 5000,
  /** Evidence links a form may add at once. */
  links: 3,
  /** The most a return may claim for one period: the same bound as a commitment's target. */
  quantityMilli: CONTRACT_LIMITS.targetMilli,
} as const;

export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  more_info_requested: 'More information requested',
};

export const RETURN_STATUS_TAG_CLASSES: Record<ReturnStatus, string> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  more_info_requested: 'govuk-tag--orange',
};

/** How each step of a return's life reads in its thread. */
export const THREAD_KIND_LABELS: Record<ReturnCommentKind, string> = {
  comment: 'Comment',
  submitted: 'Submitted the return',
  resubmitted: 'Resubmitted the return',
  approved: 'Approved the return',
  rejected: 'Rejected the return',
  more_info_requested: 'Asked for more information',
};

export const RETURN_STATUSES = Object.keys(RETURN_STATUS_LABELS) as ReturnStatus[];

/** Only these may be changed by the contractor. */
export const EDITABLE_STATUSES: readonly ReturnStatus[] = ['draft', 'more_info_requested'];

const QUANTITY_FORMAT = 'Enter the quantity as a number, like 12 or 2.5 (up to 3 decimal places)';

/** The quantity delivered in the period: 0 or more, up to 3 decimal places, stored in thousandths. */
export const quantityDelivered = z
  .string({ required_error: 'Enter the quantity delivered in this period', invalid_type_error: 'Quantity must be text' })
  .trim()
  .min(1, 'Enter the quantity delivered in this period')
  .max(30, QUANTITY_FORMAT)
  .transform((text, ctx) => {
    if (/^-/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'Quantity must be 0 or more' });
      return z.NEVER;
    }
    if (/^\d[\d,]*\.\d{4,}$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'Quantity must have no more than 3 decimal places' });
      return z.NEVER;
    }
    const milli = parseQuantity(text);
    if (milli === null) {
      ctx.addIssue({ code: 'custom', message: QUANTITY_FORMAT });
      return z.NEVER;
    }
    if (milli > RETURN_LIMITS.quantityMilli) {
      ctx.addIssue({ code: 'custom', message: `Quantity must be ${formatQuantity(RETURN_LIMITS.quantityMilli)} or less` });
      return z.NEVER;
    }
    return milli;
  });

const checkbox = z.unknown().transform((v) => v === 'on' || v === 'true' || v === 'yes');

/** The link fields as typed: linkUrl1…3 and linkTitle1…3 (checked by the evidence module's parseEvidenceLink). */
export const LINK_NUMBERS = [1, 2, 3] as const;
const linkUrl = (n: number) => optionalText(`link ${n} address`, 2000);
const linkTitle = (n: number) => optionalText(`link ${n} title`, 200);

const fields = {
  quantity: quantityDelivered,
  narrative: optionalText('narrative', RETURN_LIMITS.narrative),
  isStory: checkbox,
  linkUrl1: linkUrl(1), linkTitle1: linkTitle(1),
  linkUrl2: linkUrl(2), linkTitle2: linkTitle(2),
  linkUrl3: linkUrl(3), linkTitle3: linkTitle(3),
};

export const NARRATIVE_REQUIRED = 'Describe what was delivered in this period';
export const REPLY_REQUIRED = 'Enter your reply to the officer’s request for more information';

const needsNarrative = (v: { intent: string; narrative?: string }, ctx: z.RefinementCtx) => {
  if (v.intent !== 'draft' && !v.narrative) ctx.addIssue({ code: 'custom', path: ['narrative'], message: NARRATIVE_REQUIRED });
};

/** The new-return form: the period, what was delivered, and whether to submit now. */
export const newReturnSchema = z
  .object({
    intent: z.enum(['draft', 'submit'], { errorMap: () => ({ message: 'Choose Save as draft or Submit return' }) }),
    period: z.string({ required_error: 'Select the reporting period', invalid_type_error: 'Select the reporting period' }).trim().min(1, 'Select the reporting period').max(10, 'Select a reporting period from the list'),
    ...fields,
  })
  .superRefine(needsNarrative);

/** The edit form: the same fields but not the period; a resubmission needs a reply. */
export const editReturnSchema = z
  .object({
    intent: z.enum(['draft', 'submit', 'resubmit'], { errorMap: () => ({ message: 'Choose how to save the return' }) }),
    version: z.string().max(40).optional(),
    reply: optionalText('reply', RETURN_LIMITS.reply),
    removeEvidence: z.union([z.string().max(40), z.array(z.string().max(40)).max(100)]).optional(),
    ...fields,
  })
  .superRefine((v, ctx) => {
    needsNarrative(v, ctx);
    if (v.intent === 'resubmit' && !v.reply) ctx.addIssue({ code: 'custom', path: ['reply'], message: REPLY_REQUIRED });
  });

export const commentSchema = z.object({
  body: requiredText('comment', RETURN_LIMITS.comment, 'Enter your comment'),
});

export type NewReturnForm = z.input<typeof newReturnSchema>;
export type NewReturnInput = z.output<typeof newReturnSchema>;
export type EditReturnForm = z.input<typeof editReturnSchema>;
export type EditReturnInput = z.output<typeof editReturnSchema>;

/** The evidence links typed in the form, numbered 1 to 3, skipping empty rows. */
export function typedLinks(value: Record<string, unknown>): Array<{ n: number; url: string; title: string }> {
  return LINK_NUMBERS.flatMap((n) => {
    const url = typeof value[`linkUrl${n}`] === 'string' ? (value[`linkUrl${n}`] as string) : '';
    const title = typeof value[`linkTitle${n}`] === 'string' ? (value[`linkTitle${n}`] as string) : '';
    return url || title ? [{ n, url, title }] : [];
  });
}
