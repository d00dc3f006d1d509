import { z } from 'zod';
import { dateInput } from '~/modules/contracts/contracts.schema';
import { parsePounds } from '~/modules/contracts/figures';
import { PHOTO_ALT_MAX } from '~/modules/photos/photo-limits';
import { optionalText, requiredText } from '~/utils/schema';
import { WISHLIST_CATEGORIES } from './wishlist';

// The wishlist item form (VCSE side) and the officer's moderation forms. No server imports.

export const ITEM_LIMITS = {
  title: 120,
  description: 2000,
  quantityDetail: 500,
  theme: 100,
  reason: 1000,
  /** £1,000,000. */
  valuePence: 100_000_000,
} as const;

const VALUE_FORMAT = 'Enter the estimated value in pounds, like 250 or £1,250.00';

const estimatedValue = z
  .string({ required_error: 'Enter the estimated value', invalid_type_error: VALUE_FORMAT })
  .trim()
  .min(1, 'Enter the estimated value')
  .max(30, VALUE_FORMAT)
  .transform((text, ctx) => {
    const pence = parsePounds(text);
    if (pence === null) {
      ctx.addIssue({ code: 'custom', message: VALUE_FORMAT });
      return z.NEVER;
    }
    if (pence <= 0) {
      ctx.addIssue({ code: 'custom', message: 'Estimated value must be more than £0' });
      return z.NEVER;
    }
    if (pence > ITEM_LIMITS.valuePence) {
      ctx.addIssue({ code: 'custom', message: 'Estimated value must be £1,000,000 or less' });
      return z.NEVER;
    }
    return pence;
  });

/** A GOV.UK date input that may be left empty (undefined); otherwise a real date. */
export function optionalDateInput(label: string) {
  const inner = dateInput(label);
  return z.unknown().transform((value, ctx) => {
    const raw = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    const empty = ['day', 'month', 'year'].every((k) => typeof raw[k] !== 'string' || !(raw[k] as string).trim());
    if (empty) return undefined;
    const parsed = inner.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });
}

const choose = (message: string) => z.string({ required_error: message, invalid_type_error: message }).trim().min(1, message).max(100, message);

export const itemSchema = z.object({
  title: requiredText('title', ITEM_LIMITS.title, 'Enter a title for what you need'),
  description: requiredText('description', ITEM_LIMITS.description, 'Describe what you need and how it will help'),
  category: z.enum(WISHLIST_CATEGORIES as [string, ...string[]], { required_error: 'Select a category', invalid_type_error: 'Select a category' }),
  theme: choose('Select a theme'),
  wardId: z.string().trim().max(100, 'Select a ward').optional(),
  estimatedValue,
  quantityDetail: optionalText('quantity or detail', ITEM_LIMITS.quantityDetail),
  neededBy: optionalDateInput('needed-by date'),
  photoAlt: optionalText('photo description', PHOTO_ALT_MAX),
  removePhoto: z.literal('yes').optional(),
  /** The item's updated_at when the edit form was loaded: a stale form is refused. */
  version: z.string().max(40).optional(),
});

export type ItemInput = z.output<typeof itemSchema>;

/** The item form's shape as conform sees it (the date as three fields). */
export type ItemForm = Omit<z.input<typeof itemSchema>, 'neededBy'> & { neededBy?: { day?: string; month?: string; year?: string }; photo?: string };

export const MODERATION_DECISIONS = ['approve', 'reject'] as const;

export const decisionSchema = z
  .object({
    decision: z.enum(MODERATION_DECISIONS, { required_error: 'Select approve or reject', invalid_type_error: 'Select approve or reject' }),
    reason: optionalText('reason', ITEM_LIMITS.reason),
    version: z.string().max(40).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter the reason for rejecting the item. The organisation will see it' });
  });

export type DecisionForm = z.input<typeof decisionSchema>;

export const correctionSchema = z.object({
  category: z.enum(WISHLIST_CATEGORIES as [string, ...string[]], { required_error: 'Select a category', invalid_type_error: 'Select a category' }),
  theme: choose('Select a theme'),
  wardId: z.string().trim().max(100, 'Select a ward').optional(),
  reason: requiredText('reason', ITEM_LIMITS.reason, 'Enter the reason for the correction. The organisation will see it'),
  version: z.string().max(40).optional(),
});

export type CorrectionForm = z.input<typeof correctionSchema>;
export type CorrectionInput = z.output<typeof correctionSchema>;
