import { z } from 'zod';
import type { CreditPolicy } from './policy';

// The admin's credit policy form. No server imports.

const percent = (label: string) =>
  z
    .string({ required_error: `Enter the ${label}`, invalid_type_error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .transform((text, ctx) => {
      const cleaned = text.replace(/%$/, '').trim();
      if (!/^\d{1,3}$/.test(cleaned) || Number(cleaned) > 100) {
        ctx.addIssue({ code: 'custom', message: `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a whole number from 0 to 100` });
        return z.NEVER;
      }
      return Number(cleaned);
    });

const yesNo = (message: string) => z.enum(['yes', 'no'], { errorMap: () => ({ message }) }).transform((v) => v === 'yes');

export const creditPolicySchema = z.object({
  maxSubstitutedPercent: percent('largest share that swaps may meet'),
  allowCrossTheme: yesNo('Select whether a swap may use a measure from another theme'),
  priorityWardUpliftPercent: percent('uplift for needs in priority wards'),
  creditsExpireWithContract: yesNo('Select whether unspent credits expire when the contract ends'),
}) satisfies z.ZodType<CreditPolicy, z.ZodTypeDef, unknown>;

export type CreditPolicyForm = z.input<typeof creditPolicySchema>;
