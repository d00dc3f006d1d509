import { z } from 'zod';
import { requiredText } from '~/utils/schema';

// The reversal form (no server imports). The service checks the reason again.
export const REVERSAL_REASON_LIMIT = 2000;

export const reversalSchema = z.object({
  reason: requiredText('the reason for reversing this transaction', REVERSAL_REASON_LIMIT),
});
