import type { Tx } from '#db/client';
import { formatPence } from '~/modules/contracts/figures';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { formatDate } from '~/utils/time';
import type { PledgeStep } from './lifecycle';

// Each pledge step tells the other side, through the outbox, inside the step's
// transaction (sent after commit): the supplier's steps reach the VCSE
// organisation's active users, the VCSE's steps reach the supplier's active users.

export interface PledgeFacts {
  id: string;
  itemTitle: string;
  supplierName: string;
  recipientName: string;
  description: string;
  valuePence: number;
  expectedDate: string;
}

/** Active users of an organisation: who hears about a pledge step. */
function activeUsersOf(tx: Tx, organisationId: string) {
  return tx.selectFrom('user').select(['id', 'email']).where('organisation_id', '=', organisationId).where('status', '=', 'active').orderBy('email').execute();
}

const what = (p: PledgeFacts) => `${p.description}\nValue: ${formatPence(p.valuePence)}. Expected by ${formatDate(p.expectedDate)}.`;

/** 'lapse': the portal declined an offer the need can no longer take (the item was withdrawn, expired or met); `text` is why. */
export type PledgeNotice = PledgeStep | 'offer' | 'lapse';

function message(step: PledgeNotice, p: PledgeFacts, text: string | null): { kind: string; subject: string; body: string } {
  const quoted = text ? `\n\n${text}` : '';
  switch (step) {
    case 'offer':
      return {
        kind: 'pledge_offered', subject: `New pledge for “${p.itemTitle}”`,
        body: `${p.supplierName} has offered to help meet your need “${p.itemTitle}”:\n\n${what(p)}\n\nAccept or decline the pledge in the portal.`,
      };
    case 'accept':
      return {
        kind: 'pledge_accepted', subject: `Pledge accepted: “${p.itemTitle}”`,
        body: `${p.recipientName} has accepted your pledge to “${p.itemTitle}”.${quoted}\n\nWhen you have delivered it, mark it delivered in the portal.`,
      };
    case 'decline':
      return { kind: 'pledge_declined', subject: `Pledge declined: “${p.itemTitle}”`, body: `${p.recipientName} has declined your pledge to “${p.itemTitle}”.${quoted}` };
    case 'deliver':
      return {
        kind: 'pledge_delivered', subject: `Pledge delivered: “${p.itemTitle}”`,
        body: `${p.supplierName} says it has delivered its pledge to “${p.itemTitle}”.${quoted}\n\nConfirm you received it, or tell them what is wrong, in the portal.`,
      };
    case 'confirm':
      return {
        kind: 'pledge_confirmed', subject: `Pledge confirmed: “${p.itemTitle}”`,
        body: `${p.recipientName} has confirmed it received your pledge to “${p.itemTitle}”. Thank you.\n\nYou can now claim social value credits for it in the portal.`,
      };
    case 'dispute':
      return {
        kind: 'pledge_disputed', subject: `Pledge delivery disputed: “${p.itemTitle}”`,
        body: `${p.recipientName} says there is a problem with the delivery of your pledge to “${p.itemTitle}”.${quoted}\n\nSort it out with them, then mark the pledge delivered again with a note.`,
      };
    case 'lapse':
      return {
        kind: 'pledge_declined', subject: `Pledge declined: “${p.itemTitle}”`,
        body: `Your pledge to “${p.itemTitle}” has been declined. ${text ?? 'The need is no longer open to pledges'}, so it can no longer be accepted.\n\nYour pledge was:\n${what(p)}\n\nThere is nothing more you need to do. Other needs you could meet are on the community wishlist.`,
      };
    case 'withdraw':
      return { kind: 'pledge_withdrawn', subject: `Pledge withdrawn: “${p.itemTitle}”`, body: `${p.supplierName} has withdrawn its pledge to “${p.itemTitle}”.${quoted}` };
  }
}

/**
 * Queues the email about one step to every active user of the other side's
 * organisation. The dedupe key names the pledge, the step and its time, so a
 * retried transaction never sends twice but each later step is its own email.
 */
export async function notifyOtherSide(tx: Tx, step: PledgeNotice, pledge: PledgeFacts, toOrganisationId: string, at: string, text: string | null = null) {
  const { kind, subject, body } = message(step, pledge, text);
  for (const user of await activeUsersOf(tx, toOrganisationId)) {
    await enqueueNotification(tx, {
      kind, toEmail: user.email, toUserId: user.id, subject, body,
      linkPath: `/pledges/${pledge.id}`,
      dedupeKey: `${kind}:${pledge.id}:${at}:${user.id}`,
    });
  }
}
