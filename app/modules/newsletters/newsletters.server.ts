import { sql } from 'kysely';
import type { Db, DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { listPublishedBetween } from '~/modules/stories/story-queries.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { dayAfter, defaultTitle, quarterStartingOn, type NewsletterInput } from './newsletters.schema';

// The quarterly newsletter (docs/stories-and-newsletters.md, ADR 0020): one per
// financial quarter, built from the quarter's published stories (chosen and
// ordered by an officer) and headline figures; sent once.

export type NewsletterResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; message: string; id?: string };

const CREATE_ACTION = 'newsletter.create';

export function findNewsletter(db: DbOrTx, newsletterId: string) {
  return db
    .selectFrom('newsletter as n')
    .leftJoin('user as u', 'u.id', 'n.sent_by')
    .select([
      'n.id', 'n.period_start as periodStart', 'n.period_end as periodEnd', 'n.title', 'n.introduction', 'n.figures_json as figuresJson',
      'n.status', 'n.sent_at as sentAt', 'u.name as sentByName', 'n.updated_at as updatedAt',
    ])
    .where('n.id', '=', newsletterId)
    .executeTakeFirst();
}

export type NewsletterRow = NonNullable<Awaited<ReturnType<typeof findNewsletter>>>;

/** Every newsletter, newest quarter first (staff). */
export function listNewsletters(db: DbOrTx) {
  return db.selectFrom('newsletter').select(['id', 'title', 'period_start as periodStart', 'status', 'sent_at as sentAt']).orderBy('period_start', 'desc').execute();
}

/** Sent newsletters only (the public archive), newest quarter first. */
export function listSentNewsletters(db: DbOrTx) {
  return db.selectFrom('newsletter').select(['id', 'title', 'period_start as periodStart', 'sent_at as sentAt']).where('status', '=', 'sent').orderBy('period_start', 'desc').execute();
}

/** The newsletter's chosen stories in order; `publishedOnly` leaves out any taken down since (the public page, the email). */
export function newsletterStories(db: DbOrTx, newsletterId: string, { publishedOnly }: { publishedOnly: boolean }) {
  let query = db
    .selectFrom('newsletter_story as ns')
    .innerJoin('story as st', 'st.id', 'ns.story_id')
    .leftJoin('organisation as o', 'o.id', 'st.organisation_id')
    .select(['st.id', 'st.title', 'st.body', 'st.status', 'st.published_at as publishedAt', 'st.photo_sha256 as photoSha256', 'st.photo_alt as photoAlt', 'o.name as organisationName', 'ns.position'])
    .where('ns.newsletter_id', '=', newsletterId);
  if (publishedOnly) query = query.where('st.status', '=', 'published');
  return query.orderBy('ns.position').execute();
}

/** The stories an officer may choose from: published in the quarter, plus any already chosen. */
export async function offeredStories(db: DbOrTx, newsletter: Pick<NewsletterRow, 'id' | 'periodStart' | 'periodEnd'>) {
  const [inQuarter, chosen] = await Promise.all([
    listPublishedBetween(db, newsletter.periodStart, dayAfter(newsletter.periodEnd)),
    newsletterStories(db, newsletter.id, { publishedOnly: false }),
  ]);
  const chosenIds = new Map(chosen.map((s) => [s.id, s.position]));
  const extra = chosen.filter((s) => !inQuarter.some((q) => q.id === s.id)).map((s) => ({ id: s.id, title: s.title, publishedAt: s.publishedAt }));
  return [...inQuarter, ...extra]
    .map((s) => ({ ...s, position: chosenIds.get(s.id) ?? null }))
    .sort((a, b) => (a.position ?? Number.POSITIVE_INFINITY) - (b.position ?? Number.POSITIVE_INFINITY));
}

async function replaceStories(tx: DbOrTx, newsletterId: string, storyIds: readonly string[]) {
  await tx.deleteFrom('newsletter_story').where('newsletter_id', '=', newsletterId).execute();
  if (storyIds.length) await tx.insertInto('newsletter_story').values(storyIds.map((storyId, i) => ({ newsletter_id: newsletterId, story_id: storyId, position: i + 1 }))).execute();
}

/** Starts the quarter's newsletter with every story published in the quarter; a quarter that has one already gets that one back. */
export async function createNewsletter(db: Db, quarterStart: string, actor: Actor, once?: Once, now = new Date()): Promise<NewsletterResult> {
  const userId = actor.userId;
  if (!userId) throw new Error('A newsletter is built by a signed-in officer');
  const period = quarterStartingOn(quarterStart);
  if (!period) return { ok: false, reason: 'not-found' };
  return db.transaction().execute(async (tx): Promise<NewsletterResult> => {
    const prior = await priorResult(tx, once, CREATE_ACTION);
    if (prior) return { ok: true, id: prior };
    const existing = await tx.selectFrom('newsletter').select('id').where('period_start', '=', period.start).executeTakeFirst();
    if (existing) return { ok: false, reason: 'conflict', id: existing.id, message: `There is already a newsletter for ${period.label}.` };
    const id = newId();
    const at = nowIso(now);
    const row = { id, period_start: period.start, period_end: period.end, title: defaultTitle(period), introduction: '', created_by: userId, created_at: at, updated_at: at };
    await tx.insertInto('newsletter').values(row).execute();
    const stories = await listPublishedBetween(tx, period.start, dayAfter(period.end));
    await replaceStories(tx, id, stories.map((s) => s.id));
    await rememberResult(tx, once, CREATE_ACTION, id);
    await recordAudit(tx, actor, { action: 'newsletter.created', subjectType: 'newsletter', subjectId: id, after: { ...row, stories: stories.map((s) => s.id) } });
    return { ok: true, id };
  });
}

export function sentMessage(n: Pick<NewsletterRow, 'sentAt' | 'sentByName'>): string {
  return `This newsletter was already sent${n.sentByName ? ` by ${n.sentByName}` : ''}${n.sentAt ? ` on ${formatDate(n.sentAt)}` : ''}. A sent newsletter cannot be changed or sent again.`;
}

/** Saves the title, introduction and chosen stories (in order) of a draft. */
export async function updateNewsletter(db: Db, newsletterId: string, input: NewsletterInput, storyIds: readonly string[], actor: Actor, now = new Date()): Promise<NewsletterResult> {
  return db.transaction().execute(async (tx): Promise<NewsletterResult> => {
    const before = await findNewsletter(tx, newsletterId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.status !== 'draft') return { ok: false, reason: 'conflict', message: sentMessage(before) };
    const offered = new Set((await offeredStories(tx, before)).map((s) => s.id));
    const ids = storyIds.filter((id) => offered.has(id));
    const changes = { title: input.title, introduction: input.introduction ?? '', updated_at: nowIso(now) };
    const result = await tx.updateTable('newsletter').set(changes).where('id', '=', newsletterId).where('status', '=', 'draft').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: sentMessage((await findNewsletter(tx, newsletterId)) ?? before) };
    const storiesBefore = (await newsletterStories(tx, newsletterId, { publishedOnly: false })).map((s) => s.id);
    await replaceStories(tx, newsletterId, ids);
    await recordAudit(tx, actor, {
      action: 'newsletter.updated', subjectType: 'newsletter', subjectId: newsletterId,
      before: { title: before.title, introduction: before.introduction, stories: storiesBefore }, after: { ...changes, stories: ids },
    });
    return { ok: true, id: newsletterId };
  });
}

/** Who receives a newsletter: every active contractor user, and every other active user who opted in; one row per user. */
export function newsletterRecipients(db: DbOrTx) {
  return db
    .selectFrom('user')
    .select(['id', 'email', 'name', 'role'])
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('role', '=', 'contractor'), eb('newsletter_opt_in', '=', 1)]))
    .orderBy(sql`lower(email)`)
    .execute();
}
