import type { Db, DbOrTx, Tx } from '#db/client';
import type { PledgeStatus, WishlistCategory, WishlistStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { listThemes } from '~/modules/measures/themes.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import type { ItemInput } from './items.schema';
import { nextStatus, REFUSED, type ItemAction } from './lifecycle';

// A VCSE organisation's own wishlist items: create, edit, submit (docs/wishlist.md).
// Every query is scoped by the organisation; another organisation's item is "not found".
// Withdraw and close are in items-ending.server.ts.

export type ItemResult =
  | { ok: true; id: string; status: WishlistStatus }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid'; field: string; message: string }
  | { ok: false; reason: 'conflict' | 'unverified'; message: string };

export interface PhotoChange {
  /** A photo just stored with storePhoto; null when none was uploaded. */
  uploaded: { sha256: string; contentType: string } | null;
}

export const UNVERIFIED_MESSAGE = 'You can submit items once the council has verified your organisation. You can save drafts until then.';
export const STALE_MESSAGE = 'Someone changed this item while you were editing it. Check it and make your changes again.';

const invalid = (field: string, message: string): ItemResult => ({ ok: false, reason: 'invalid', field, message });

/** One of the organisation's items, with its ward's name; undefined for anyone else's. */
export function findOwnItem(db: DbOrTx, organisationId: string, itemId: string) {
  return db
    .selectFrom('wishlist_item as i')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .selectAll('i')
    .select('w.name as ward_name')
    .where('i.id', '=', itemId)
    .where('i.organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export type OwnItem = NonNullable<Awaited<ReturnType<typeof findOwnItem>>>;

/** Pledges the organisation has taken on and not settled: while one exists the item can be neither changed nor withdrawn. */
export const TAKEN_ON_PLEDGES: readonly PledgeStatus[] = ['accepted', 'delivered', 'disputed'];
export const EDIT_BLOCKED_MESSAGE = 'This item has pledges you have accepted, so it cannot be changed: the contractors agreed to meet it as it stands. Ask the council if something in it is wrong.';

/** Does the item have a pledge the organisation has taken on and not settled? */
export async function hasTakenOnPledges(db: DbOrTx, itemId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('pledge').select('id').where('item_id', '=', itemId).where('status', 'in', [...TAKEN_ON_PLEDGES]).executeTakeFirst());
}

/** The organisation's items, optionally of one status, most recently changed first. */
export function listOwnItems(db: DbOrTx, organisationId: string, status?: WishlistStatus) {
  let query = db
    .selectFrom('wishlist_item as i')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .select(['i.id', 'i.title', 'i.status', 'i.category', 'i.estimated_value_pence', 'i.needed_by', 'i.updated_at', 'w.name as ward_name'])
    .where('i.organisation_id', '=', organisationId);
  if (status) query = query.where('i.status', '=', status);
  return query.orderBy('i.updated_at', 'desc').orderBy('i.id').execute();
}

/** Checks what the form alone cannot: the theme, the ward, the needed-by date and the photo's description. */
async function checkFields(db: DbOrTx, input: ItemInput, hasPhoto: boolean, today: string): Promise<ItemResult | null> {
  const themes = await listThemes(db);
  if (!themes.includes(input.theme)) return invalid('theme', 'Select a theme from the list');
  if (input.wardId) {
    const ward = await db.selectFrom('ward').select('id').where('id', '=', input.wardId).executeTakeFirst();
    if (!ward) return invalid('wardId', 'Select a ward from the list');
  }
  if (input.neededBy && input.neededBy <= today) return invalid('neededBy', 'Needed-by date must be in the future');
  if (hasPhoto && !input.photoAlt) return invalid('photoAlt', 'Describe the photo for people who cannot see it');
  return null;
}

async function organisationVerified(db: DbOrTx, organisationId: string): Promise<boolean> {
  const org = await db.selectFrom('organisation').select('status').where('id', '=', organisationId).where('kind', '=', 'vcse').executeTakeFirst();
  return org?.status === 'verified';
}

const snapshot = (i: { status: WishlistStatus; title: string; category: WishlistCategory; theme: string; ward_id: string | null; estimated_value_pence: number; needed_by: string | null; photo_sha256: string | null }) => ({
  status: i.status, title: i.title, category: i.category, theme: i.theme, ward_id: i.ward_id,
  estimated_value_pence: i.estimated_value_pence, needed_by: i.needed_by, photo_sha256: i.photo_sha256,
});

/** A new draft item. A repeated submission key returns the first item's id. */
export async function createItem(db: Db, actor: Actor & { userId: string }, organisationId: string, input: ItemInput, photo: PhotoChange, once?: Once, today = londonToday()): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const prior = await priorResult(tx, once, 'wishlist.create');
    if (prior) return { ok: true, id: prior, status: 'draft' } as const;
    const problem = await checkFields(tx, input, photo.uploaded !== null, today);
    if (problem) return problem;
    const id = newId();
    const now = nowIso();
    const row = {
      id, organisation_id: organisationId, title: input.title, description: input.description, category: input.category as WishlistCategory,
      theme: input.theme, ward_id: input.wardId || null, estimated_value_pence: input.estimatedValue, quantity_detail: input.quantityDetail ?? '',
      needed_by: input.neededBy ?? null, photo_sha256: photo.uploaded?.sha256 ?? null, photo_content_type: photo.uploaded?.contentType ?? null,
      photo_alt: photo.uploaded ? (input.photoAlt ?? null) : null, status: 'draft' as const, decision_reason: null, decided_by: null, decided_at: null,
      submitted_at: null, published_at: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await tx.insertInto('wishlist_item').values(row).execute();
    await rememberResult(tx, once, 'wishlist.create', id);
    await recordAudit(tx, actor, { action: 'wishlist.created', subjectType: 'wishlist_item', subjectId: id, after: snapshot(row) });
    return { ok: true, id, status: 'draft' } as const;
  });
}

/**
 * Saves the owner's changes. A published item goes back to moderation
 * (submitted): the public never sees text the council has not checked.
 */
export async function updateItem(db: Db, actor: Actor, organisationId: string, itemId: string, input: ItemInput, photo: PhotoChange, today = londonToday()): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findOwnItem(tx, organisationId, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    const status = nextStatus('edit', item.status);
    if (!status) return { ok: false, reason: 'conflict', message: REFUSED.edit } as const;
    if (input.version && input.version !== item.updated_at) return { ok: false, reason: 'conflict', message: STALE_MESSAGE } as const;
    // A live item with accepted pledges short of its estimate is still 'published': its text, value and date are what those contractors agreed to.
    if (await hasTakenOnPledges(tx, item.id)) return { ok: false, reason: 'conflict', message: EDIT_BLOCKED_MESSAGE } as const;
    const keep = !photo.uploaded && !input.removePhoto && item.photo_sha256 !== null;
    const problem = await checkFields(tx, input, photo.uploaded !== null || keep, today);
    if (problem) return problem;
    const now = nowIso();
    const changes = {
      title: input.title, description: input.description, category: input.category as WishlistCategory, theme: input.theme, ward_id: input.wardId || null,
      estimated_value_pence: input.estimatedValue, quantity_detail: input.quantityDetail ?? '', needed_by: input.neededBy ?? null,
      photo_sha256: photo.uploaded ? photo.uploaded.sha256 : keep ? item.photo_sha256 : null,
      photo_content_type: photo.uploaded ? photo.uploaded.contentType : keep ? item.photo_content_type : null,
      photo_alt: photo.uploaded || keep ? (input.photoAlt ?? null) : null,
      status, updated_at: now, ...(status === 'submitted' && item.status !== 'submitted' ? { submitted_at: now } : {}),
    };
    const updated = await tx.updateTable('wishlist_item').set(changes).where('id', '=', item.id).where('status', '=', item.status).where('updated_at', '=', item.updated_at).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: STALE_MESSAGE } as const;
    await recordAudit(tx, actor, { action: 'wishlist.updated', subjectType: 'wishlist_item', subjectId: item.id, before: snapshot(item), after: snapshot({ ...item, ...changes }) });
    return { ok: true, id: item.id, status } as const;
  });
}

/** Sends a draft or rejected item to the council. Only a verified organisation may. */
export async function submitItem(db: Db, actor: Actor, organisationId: string, itemId: string, today = londonToday()): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findOwnItem(tx, organisationId, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    if (!nextStatus('submit', item.status)) return { ok: false, reason: 'conflict', message: REFUSED.submit } as const;
    if (!(await organisationVerified(tx, organisationId))) return { ok: false, reason: 'unverified', message: UNVERIFIED_MESSAGE } as const;
    if (item.needed_by && item.needed_by <= today) return { ok: false, reason: 'conflict', message: 'The needed-by date has passed. Edit the item to give a date in the future, or leave it empty, then submit it.' } as const;
    return moveStatus(tx, actor, item, 'submit', { submitted_at: nowIso() });
  });
}

const PAST: Record<ItemAction, string> = {
  edit: 'updated', submit: 'submitted', withdraw: 'withdrawn', close: 'closed', approve: 'approved', reject: 'rejected', correct: 'corrected', expire: 'expired',
};

/** The conditional UPDATE every status change goes through: a racing change makes it a conflict. */
export async function moveStatus(tx: Tx, actor: Actor, item: { id: string; status: WishlistStatus }, action: ItemAction, extra: Record<string, string | null> = {}): Promise<ItemResult> {
  const to = nextStatus(action, item.status);
  if (!to) return { ok: false, reason: 'conflict', message: REFUSED[action] };
  const now = nowIso();
  const updated = await tx.updateTable('wishlist_item').set({ status: to, updated_at: now, ...extra }).where('id', '=', item.id).where('status', '=', item.status).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: REFUSED[action] };
  const name = action === 'submit' && item.status === 'rejected' ? 'resubmitted' : PAST[action];
  await recordAudit(tx, actor, { action: `wishlist.${name}`, subjectType: 'wishlist_item', subjectId: item.id, before: { status: item.status }, after: { status: to, ...extra } });
  return { ok: true, id: item.id, status: to };
}
