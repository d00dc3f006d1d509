import type { Db, DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { getEnv } from '~/utils/env.server';
import { nowIso } from '~/utils/time';
import { quarterFigures } from './newsletter-figures.server';
import { newsletterText, type RecipientReason } from './newsletter-text';
import { quarterStartingOn, type NewsletterFigures } from './newsletters.schema';
import { findNewsletter, newsletterRecipients, newsletterStories, sentMessage, type NewsletterResult, type NewsletterRow } from './newsletters.server';

// Sending (ADR 0020): one transaction marks the newsletter sent (only while it
// is a draft: a second send, even a simultaneous one, is a conflict), snapshots
// the figures, and writes one outbox message per recipient with the dedupe key
// newsletter:<id>:<userId>. The outbox sender emails them after commit.

export const NO_STORIES = 'Choose at least one published story before you send the newsletter.';

/** The newsletter as it will be (or was) sent: the figures now (or as snapshot), and its published stories. */
export async function newsletterContent(db: DbOrTx, n: NewsletterRow, figures?: NewsletterFigures) {
  const period = quarterStartingOn(n.periodStart);
  const [stories, live] = await Promise.all([
    newsletterStories(db, n.id, { publishedOnly: true }),
    figures ? Promise.resolve(figures) : quarterFigures(db, { start: n.periodStart, end: n.periodEnd }),
  ]);
  return { periodLabel: period?.label ?? `${n.periodStart} to ${n.periodEnd}`, stories, figures: live };
}

export function emailText(n: NewsletterRow, content: Awaited<ReturnType<typeof newsletterContent>>, reason: RecipientReason): string {
  return newsletterText({ title: n.title, introduction: n.introduction, periodLabel: content.periodLabel, figures: content.figures, stories: content.stories, origin: getEnv().APP_ORIGIN }, reason);
}

export type SendResult = NewsletterResult | { ok: false; reason: 'empty'; message: string };

export async function sendNewsletter(db: Db, newsletterId: string, actor: Actor, now = new Date()): Promise<SendResult & { recipients?: number }> {
  const userId = actor.userId;
  if (!userId) throw new Error('A newsletter is sent by a signed-in officer');
  // The figures (up to a second to compute cold) are worked out before the
  // transaction, so the write lock is not held meanwhile (decision 0025). They
  // read the period's data, which the send does not change.
  const draft = await findNewsletter(db, newsletterId);
  const figures = draft ? (await newsletterContent(db, draft)).figures : undefined;
  return db.transaction().execute(async (tx) => {
    const before = await findNewsletter(tx, newsletterId);
    if (!before) return { ok: false as const, reason: 'not-found' as const };
    if (before.status !== 'draft') return { ok: false as const, reason: 'conflict' as const, message: sentMessage(before) };
    const samePeriod = draft && draft.periodStart === before.periodStart && draft.periodEnd === before.periodEnd;
    const content = await newsletterContent(tx, before, samePeriod ? figures : undefined);
    if (content.stories.length === 0) return { ok: false as const, reason: 'empty' as const, message: NO_STORIES };
    const at = nowIso(now);
    const changes = { status: 'sent' as const, figures_json: JSON.stringify(content.figures), sent_at: at, sent_by: userId, updated_at: at };
    const result = await tx.updateTable('newsletter').set(changes).where('id', '=', newsletterId).where('status', '=', 'draft').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { ok: false as const, reason: 'conflict' as const, message: sentMessage((await findNewsletter(tx, newsletterId)) ?? before) };
    const recipients = await newsletterRecipients(tx);
    const texts: Record<RecipientReason, string> = { contractor: emailText(before, content, 'contractor'), 'opted-in': emailText(before, content, 'opted-in') };
    for (const r of recipients) {
      await enqueueNotification(tx, {
        kind: 'newsletter', toEmail: r.email, toUserId: r.id, subject: before.title,
        body: texts[r.role === 'contractor' ? 'contractor' : 'opted-in'],
        linkPath: `/newsletters/${newsletterId}`,
        dedupeKey: `newsletter:${newsletterId}:${r.id}`,
      });
    }
    await recordAudit(tx, actor, {
      action: 'newsletter.sent', subjectType: 'newsletter', subjectId: newsletterId,
      before: { status: before.status }, after: { ...changes, recipients: recipients.length, stories: content.stories.map((s) => s.id) },
    });
    return { ok: true as const, id: newsletterId, recipients: recipients.length };
  });
}
