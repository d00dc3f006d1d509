import type { Db } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import { findReturnForViewer, isStaff, type Viewer } from './returns.queries.server';
import { periodLabel } from './returns.present';
import type { ReturnResult } from './returns.server';

// Comments on a return's thread, from either side: the contractor (only on
// their own organisation's returns) or council staff. The other side is told
// by email: staff comments go to whoever created the return, the contractor's
// to the contract's responsible officer (or, if that account is no longer active,
// every active officer and admin). A draft has no thread yet: it is the
// contractor's private work, which staff cannot open, so nobody is told of it.

export const COMMENTS_AFTER_SUBMIT = 'Comments start once the return is submitted';

export async function addComment(db: Db, viewer: Viewer, returnId: string, body: string, actor: Actor): Promise<ReturnResult> {
  const text = body.trim();
  return db.transaction().execute(async (tx): Promise<ReturnResult> => {
    const found = await findReturnForViewer(tx, returnId, viewer);
    if (!found) return { ok: false, reason: 'not-found' };
    if (found.status === 'draft') return { ok: false, reason: 'locked', message: COMMENTS_AFTER_SUBMIT };
    if (!text) return { ok: false, reason: 'invalid', field: 'body', message: 'Enter your comment' };
    const id = newId();
    await tx.insertInto('return_comment').values({ id, return_id: returnId, author_id: viewer.id, kind: 'comment', body: text, created_at: nowIso() }).execute();
    await recordAudit(tx, actor, { action: 'return.commented', subjectType: 'progress_return', subjectId: returnId, after: { comment_id: id, body: text } });

    const recipientId = isStaff(viewer) ? found.created_by : found.officerId;
    const recipient = await tx.selectFrom('user').select(['id', 'email', 'status']).where('id', '=', recipientId).executeTakeFirst();
    // A contractor's comment must reach the council: if the responsible officer's
    // account is no longer active, every active officer and admin is told instead.
    const recipients = recipient?.status === 'active'
      ? [recipient]
      : isStaff(viewer)
        ? []
        : await tx.selectFrom('user').select(['id', 'email', 'status']).where('role', 'in', ['officer', 'admin']).where('status', '=', 'active').orderBy('email').execute();
    const period = periodLabel(found.period_start, found.period_end);
    for (const to of recipients.filter((r) => r.id !== viewer.id)) {
      await enqueueNotification(tx, {
        kind: 'return_comment',
        toEmail: to.email,
        toUserId: to.id,
        subject: `New comment on a progress return: ${found.contractReference}, ${period}`,
        body: `There is a new comment on the progress return for ${found.measureCode} ${found.measureTitle} (${found.contractReference}, ${period}):\n\n${text}\n\nRead the thread and reply in the portal:`,
        linkPath: `/returns/${returnId}`,
        dedupeKey: `return_comment:${id}:${to.id}`,
      });
    }
    return { ok: true, id };
  });
}
