import { getDb } from '../../db/client';
import type { PledgeStatus, WishlistCategory, WishlistStatus } from '../../db/schema';
import { newId } from '~/utils/ids.server';
import { makeOrganisation, makeUser } from './factories';
import { makeTheme } from './factories-wishlist';

// Test data for pledges, inserted directly (no audit, no outbox).
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A wishlist item of a VCSE organisation (made, with a user, when not given). */
export async function makeItem({
  organisationId, createdBy, title = `Need ${unique()}`, description = 'Something the community needs', category = 'goods', theme = 'Jobs',
  wardId = null, estimatePence = 50_000, neededBy = null, status = 'published',
}: {
  organisationId?: string; createdBy?: string; title?: string; description?: string; category?: WishlistCategory; theme?: string;
  wardId?: string | null; estimatePence?: number; neededBy?: string | null; status?: WishlistStatus;
} = {}) {
  const orgId = organisationId ?? (await makeOrganisation('vcse')).id;
  const author = createdBy ?? (await makeUser('vcse', { organisationId: orgId })).id;
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('wishlist_item').values({
    id, organisation_id: orgId, title, description, category, theme, ward_id: wardId, estimated_value_pence: estimatePence, quantity_detail: '',
    needed_by: neededBy, photo_sha256: null, photo_content_type: null, photo_alt: null, status, decision_reason: null, decided_by: null,
    decided_at: null, submitted_at: now, published_at: status === 'draft' ? null : now, created_by: author, created_at: now, updated_at: now,
  }).execute();
  return { id, organisationId: orgId, createdBy: author, title, estimatePence };
}

/** A pledge inserted directly in any status (a contractor of the supplier is made when not given). */
export async function makePledge(itemId: string, supplierId: string, { status = 'offered', valuePence = 10_000, createdBy, contractId = null, description = 'Ten refurbished laptops', expectedDate = '2027-01-15' }: {
  status?: PledgeStatus; valuePence?: number; createdBy?: string; contractId?: string | null; description?: string; expectedDate?: string;
} = {}) {
  const author = createdBy ?? (await makeUser('contractor', { organisationId: supplierId })).id;
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('pledge').values({
    id, item_id: itemId, supplier_id: supplierId, contract_id: contractId, description, value_pence: valuePence, expected_date: expectedDate,
    status, response_reason: null, delivery_note: null, is_story: 0, responded_by: null, responded_at: null, delivered_at: null,
    confirmed_by: null, confirmed_at: null, created_by: author, created_at: now, updated_at: now,
  }).execute();
  return { id, itemId, supplierId, createdBy: author };
}

export const itemStatus = async (itemId: string) =>
  (await getDb().selectFrom('wishlist_item').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status;

export const pledgeRow = (pledgeId: string) => getDb().selectFrom('pledge').selectAll().where('id', '=', pledgeId).executeTakeFirstOrThrow();

/**
 * Two organisations and an item between them: a verified supplier with two
 * contractors, a verified VCSE with two active users and a deactivated one, and
 * the VCSE's item (published, £500, theme 'Community wellbeing' as an active
 * measure theme, so the owner's edit form accepts it) unless told otherwise.
 */
export async function makePledgeWorld({ estimatePence = 50_000, status = 'published', neededBy = null }: { estimatePence?: number; status?: WishlistStatus; neededBy?: string | null } = {}) {
  const theme = await makeTheme();
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const colleague = await makeUser('contractor', { organisationId: supplier.id });
  const vcseOrg = await makeOrganisation('vcse');
  const vcse = await makeUser('vcse', { organisationId: vcseOrg.id });
  const vcse2 = await makeUser('vcse', { organisationId: vcseOrg.id });
  const gone = await makeUser('contractor', { organisationId: supplier.id });
  await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
  const item = await makeItem({ organisationId: vcseOrg.id, createdBy: vcse.id, estimatePence, status, neededBy, theme });
  return { supplier, contractor, colleague, gone, vcseOrg, vcse, vcse2, item };
}

export type PledgeWorld = Awaited<ReturnType<typeof makePledgeWorld>>;

/** The audit actor of a test user. */
export const actorOf = (u: { id: string; organisationId: string }) => ({ userId: u.id, organisationId: u.organisationId, requestId: 'test' });

/** Audit events about a subject, oldest first. */
export const auditsOf = (subjectId: string) =>
  getDb().selectFrom('audit_event').select(['action', 'actor_user_id', 'before_json', 'after_json']).where('subject_id', '=', subjectId).orderBy('id').execute();

/** Outbox messages linking to a pledge's page. */
export const mailAbout = (pledgeId: string) =>
  getDb().selectFrom('notification').select(['kind', 'to_email', 'to_user_id', 'subject', 'body_text', 'link', 'dedupe_key']).where('link', 'like', `%/pledges/${pledgeId}`).orderBy('created_at').execute();
