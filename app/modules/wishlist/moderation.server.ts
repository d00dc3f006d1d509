import { sql } from 'kysely';
import type { Db, DbOrTx } from '#db/client';
import type { WishlistCategory } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { nowIso } from '~/utils/time';
import { listThemes } from '~/modules/measures/themes.server';
import type { CorrectionInput } from './items.schema';
import { syncItemStatus } from '~/modules/pledges/item-status.server';
import { moveStatus, type ItemResult } from './items.server';
import { nextStatus, ORGANISATION_NOT_VERIFIED, REFUSED } from './lifecycle';

export { ORGANISATION_NOT_VERIFIED };
import { notifyOrganisation } from './notify.server';
import { CATEGORY_LABELS } from './wishlist';

// Officers moderate wishlist items (docs/wishlist.md, "Moderation"): the queue
// of submitted items (oldest first), approve or reject with a reason (final;
// a second decision is a 409), and corrections of a live item's category,
// theme or ward (with a reason, audited, the organisation told).

export const QUEUE_PAGE_SIZE = 25;

/** Submitted items, oldest submission first, with their organisation and its verification status. */
export async function listModerationQueue(db: DbOrTx, page = 1, pageSize = QUEUE_PAGE_SIZE) {
  const base = db.selectFrom('wishlist_item as i').innerJoin('organisation as o', 'o.id', 'i.organisation_id').where('i.status', '=', 'submitted');
  const [count, rows] = await Promise.all([
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    base
      .leftJoin('ward as w', 'w.id', 'i.ward_id')
      .select(['i.id', 'i.title', 'i.category', 'i.theme', 'i.estimated_value_pence', 'i.submitted_at', 'i.decision_reason', 'o.name as organisation_name', 'o.status as organisation_status', 'w.name as ward_name'])
      .orderBy('i.submitted_at', 'asc')
      .orderBy('i.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), items: rows };
}

/** VCSE organisations waiting for verification (the panel beside the queue links to /officer/organisations). */
export async function countOrganisationsAwaitingVerification(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('organisation').select(sql<number>`count(*)`.as('n')).where('kind', '=', 'vcse').where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An item as staff see it; undefined for a draft (the organisation's private work) or an unknown id. */
export function findItemForModeration(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('wishlist_item as i')
    .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .leftJoin('user as d', 'd.id', 'i.decided_by')
    .selectAll('i')
    .select(['o.name as organisation_name', 'o.status as organisation_status', 'w.name as ward_name', 'd.name as decided_by_name'])
    .where('i.id', '=', itemId)
    .where('i.status', '!=', 'draft')
    .executeTakeFirst();
}

export type ModeratedItem = NonNullable<Awaited<ReturnType<typeof findItemForModeration>>>;

export const NEEDED_BY_PASSED = 'The needed-by date of this item has passed, so it cannot be published. Reject it, saying so: the organisation can give a new date and submit it again.';
export const CHANGED_SINCE_OPENED = 'The organisation changed this item since you opened it. Open it again and check the changes before deciding.';

/**
 * Approves or rejects a submitted item. `version` (the updated_at the form was
 * loaded with) makes a decision on an item edited or resubmitted since a conflict.
 */
export async function decideItem(db: Db, actor: Actor, itemId: string, decision: { decision: 'approve' | 'reject'; reason?: string; version?: string }, today = londonToday()): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findItemForModeration(tx, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    // Nobody decides on their own request (staff have no items, but the rule holds).
    if (actor.organisationId === item.organisation_id) return { ok: false, reason: 'conflict', message: 'You cannot moderate your own organisation’s item.' } as const;
    if (!nextStatus(decision.decision, item.status)) return { ok: false, reason: 'conflict', message: REFUSED[decision.decision] } as const;
    // The version is the item's updated_at: an owner may still edit a submitted item (it stays submitted,
    // submitted_at unchanged), and the officer must not publish text they never saw.
    if (decision.version && decision.version !== item.updated_at) return { ok: false, reason: 'conflict', message: CHANGED_SINCE_OPENED } as const;
    if (decision.decision === 'approve' && item.organisation_status !== 'verified') return { ok: false, reason: 'unverified', message: ORGANISATION_NOT_VERIFIED } as const;
    // An item can wait in the queue past its needed-by date: publishing it would only have the jobs command expire it.
    if (decision.decision === 'approve' && item.needed_by && item.needed_by < today) return { ok: false, reason: 'invalid', field: 'decision', message: NEEDED_BY_PASSED } as const;
    if (decision.decision === 'reject' && !decision.reason) return { ok: false, reason: 'invalid', field: 'reason', message: 'Enter the reason for rejecting the item. The organisation will see it' } as const;
    const now = nowIso();
    const moved = await moveStatus(tx, actor, item, decision.decision, {
      decision_reason: decision.decision === 'reject' ? decision.reason! : (decision.reason ?? null),
      decided_by: actor.userId,
      decided_at: now,
      ...(decision.decision === 'approve' ? { published_at: item.published_at ?? now } : {}),
    });
    if (!moved.ok) return moved;
    const approved = decision.decision === 'approve';
    // Defence in depth: an item that comes back here with pledges the organisation took on
    // (updateItem now refuses to edit such an item) is pledged or fulfilled at once if they cover it.
    const status = approved ? ((await syncItemStatus(tx, item.id, actor)) ?? moved.status) : moved.status;
    await notifyOrganisation(tx, item.organisation_id, {
      kind: approved ? 'wishlist_item_approved' : 'wishlist_item_rejected',
      subject: approved ? `Your wishlist item is live: ${item.title}` : `Your wishlist item was not approved: ${item.title}`,
      body: approved
        ? `The council has approved “${item.title}”. It is now on the public community wishlist, where contractors can pledge to meet it.`
        : `The council did not approve “${item.title}”.\n\nThe reason: ${decision.reason}\n\nYou can edit the item and submit it again.`,
      linkPath: `/organisation/wishlist/${item.id}`,
      dedupeKey: `wishlist-${decision.decision}:${item.id}:${now}`,
    });
    return { ...moved, status };
  });
}

/** Corrects the category, theme or ward of a published or pledged item, with a reason; the status stays. */
export async function correctItem(db: Db, actor: Actor, itemId: string, input: CorrectionInput): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findItemForModeration(tx, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    if (!nextStatus('correct', item.status)) return { ok: false, reason: 'conflict', message: REFUSED.correct } as const;
    if (input.version && input.version !== item.updated_at) return { ok: false, reason: 'conflict', message: 'Someone changed this item since you opened it. Check it again.' } as const;
    if (!(await listThemes(tx)).includes(input.theme)) return { ok: false, reason: 'invalid', field: 'theme', message: 'Select a theme from the list' } as const;
    const wardId = input.wardId || null;
    if (wardId && !(await tx.selectFrom('ward').select('id').where('id', '=', wardId).executeTakeFirst())) return { ok: false, reason: 'invalid', field: 'wardId', message: 'Select a ward from the list' } as const;
    const before = { category: item.category, theme: item.theme, ward_id: item.ward_id };
    const after = { category: input.category as WishlistCategory, theme: input.theme, ward_id: wardId };
    if (before.category === after.category && before.theme === after.theme && before.ward_id === after.ward_id) {
      return { ok: false, reason: 'invalid', field: 'category', message: 'Change the category, theme or ward, or go back' } as const;
    }
    const now = nowIso();
    const updated = await tx.updateTable('wishlist_item').set({ ...after, updated_at: now }).where('id', '=', item.id).where('status', '=', item.status).where('updated_at', '=', item.updated_at).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: 'Someone changed this item since you opened it. Check it again.' } as const;
    await recordAudit(tx, actor, { action: 'wishlist.corrected', subjectType: 'wishlist_item', subjectId: item.id, before, after: { ...after, reason: input.reason } });
    const changed = [
      before.category !== after.category ? `category to ${CATEGORY_LABELS[after.category]}` : null,
      before.theme !== after.theme ? `theme to ${after.theme}` : null,
      before.ward_id !== after.ward_id ? 'ward' : null,
    ].filter(Boolean).join(', ');
    await notifyOrganisation(tx, item.organisation_id, {
      kind: 'wishlist_item_corrected',
      subject: `The council corrected your wishlist item: ${item.title}`,
      body: `The council changed the ${changed} of “${item.title}”.\n\nThe reason: ${input.reason}`,
      linkPath: `/organisation/wishlist/${item.id}`,
      dedupeKey: `wishlist-corrected:${item.id}:${now}`,
    });
    return { ok: true, id: item.id, status: item.status } as const;
  });
}
