import type { WishlistCategory, WishlistStatus, PledgeStatus } from '../../db/schema';
import { getDb } from '../../db/client';
import { newId } from '~/utils/ids.server';
import { makeMeasure, makeOrganisation, makeUser } from './factories';

// Wishlist test data, inserted directly (no audit, no notification).
let counter = 0;

/** A theme the measures framework offers (an active measure with it). */
export async function makeTheme(theme = 'Community wellbeing'): Promise<string> {
  const exists = await getDb().selectFrom('measure').select('id').where('theme', '=', theme).where('active', '=', 1).executeTakeFirst();
  if (!exists) await makeMeasure({ theme });
  return theme;
}

/** A VCSE organisation (verified unless told) and one of its users. */
export async function makeVcse(status: 'verified' | 'pending' | 'rejected' = 'verified') {
  const org = await makeOrganisation('vcse', status);
  const user = await makeUser('vcse', { organisationId: org.id });
  return { org, user };
}

export async function makeItem(organisationId: string, {
  status = 'draft', title = `Item ${++counter}`, description = 'A thing we need', category = 'goods', theme = 'Community wellbeing', wardId = null,
  valuePence = 50_000, neededBy = null, createdBy, submittedAt, photo = null,
}: {
  status?: WishlistStatus; title?: string; description?: string; category?: WishlistCategory; theme?: string; wardId?: string | null;
  valuePence?: number; neededBy?: string | null; createdBy?: string; submittedAt?: string; photo?: { sha256: string; contentType: string; alt: string } | null;
} = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const author = createdBy ?? (await makeUser('vcse', { organisationId })).id;
  const submitted = status === 'draft' ? null : (submittedAt ?? now);
  await getDb().insertInto('wishlist_item').values({
    id, organisation_id: organisationId, title, description, category, theme, ward_id: wardId, estimated_value_pence: valuePence, quantity_detail: '',
    needed_by: neededBy, photo_sha256: photo?.sha256 ?? null, photo_content_type: photo?.contentType ?? null, photo_alt: photo?.alt ?? null,
    status, decision_reason: status === 'rejected' ? 'Not suitable' : null, decided_by: null, decided_at: null, submitted_at: submitted,
    published_at: ['published', 'pledged', 'fulfilled', 'closed'].includes(status) ? now : null, created_by: author, created_at: now, updated_at: now,
  }).execute();
  return { id, title, organisationId };
}

export async function makePledge(itemId: string, { status = 'offered', supplierId, valuePence = 10_000 }: { status?: PledgeStatus; supplierId?: string; valuePence?: number } = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const supplier = supplierId ?? (await makeOrganisation('supplier')).id;
  const contractor = await makeUser('contractor', { organisationId: supplier });
  await getDb().insertInto('pledge').values({
    id, item_id: itemId, supplier_id: supplier, contract_id: null, description: 'Six laptops', value_pence: valuePence, expected_date: '2027-01-31',
    status, response_reason: null, delivery_note: null, responded_by: null, responded_at: null, delivered_at: null, confirmed_by: null, confirmed_at: null,
    created_by: contractor.id, created_at: now, updated_at: now,
  }).execute();
  return { id, supplierId: supplier, contractorEmail: contractor.email };
}
