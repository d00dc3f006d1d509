import { SERVICE_NAME } from '~/components/layout';
import type { OutboxMessage } from '~/modules/notifications/outbox.server';
import { getEnv } from '~/utils/env.server';
import { formatDateTime } from '~/utils/time';

// The texts of the account emails. Plain text; the outbox adds the absolute link.

export function resetLinkEmail(user: { id: string; email: string }, token: string, validMinutes: number): OutboxMessage {
  return {
    kind: 'password_reset',
    toEmail: user.email,
    toUserId: user.id,
    subject: `Reset your password for the ${SERVICE_NAME}`,
    body: [
      `Someone asked to reset the password for your account on the ${SERVICE_NAME} (${getEnv().AUTHORITY_NAME}).`,
      `To choose a new password, open the link below within ${validMinutes} minutes. The link works once.`,
      'If you did not ask for this, ignore this email: your password has not changed.',
    ].join('\n\n'),
    linkPath: `/reset-password/${token}`,
  };
}

export function passwordChangedEmail(user: { id: string; email: string }, how: 'changed' | 'reset', at: string): OutboxMessage {
  return {
    kind: 'password_changed',
    toEmail: user.email,
    toUserId: user.id,
    subject: 'Your password was changed',
    body: [
      `The password for your account on the ${SERVICE_NAME} (${getEnv().AUTHORITY_NAME}) was ${how === 'reset' ? 'reset using a link sent to this address' : 'changed'} on ${formatDateTime(at)}.`,
      'If this was you, you do not need to do anything.',
      `If it was not you, reset your password straight away using the link below and tell the council’s social value team.`,
    ].join('\n\n'),
    linkPath: '/forgot-password',
  };
}
