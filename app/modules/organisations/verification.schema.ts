import { z } from 'zod';
import { optionalText } from '~/utils/schema';

export const REASON_MAX = 1000;
const CHOOSE = 'Select whether to verify or reject the organisation';

export const decisionSchema = z
  .object({
    decision: z.enum(['verify', 'reject'], { errorMap: () => ({ message: CHOOSE }) }),
    reason: optionalText('reason', REASON_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.decision === 'reject' && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter the reason for rejecting the organisation' });
    }
  });

export type DecisionInput = z.infer<typeof decisionSchema>;

export const VCSE_STATUSES = ['pending', 'verified', 'rejected'] as const;
export type VcseStatus = (typeof VCSE_STATUSES)[number];
export const STATUS_LABELS: Record<VcseStatus, string> = { pending: 'Awaiting verification', verified: 'Verified', rejected: 'Rejected' };
