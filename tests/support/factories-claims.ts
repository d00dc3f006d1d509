import { getDb } from '../../db/client';
import type { PledgeStatus } from '../../db/schema';
import { newId } from '~/utils/ids.server';
import { makeContract, makeMeasure, makeOrganisation, makeUser, makeWard } from './factories';

// Builders for credit claims' tests: a published wishlist item, a pledge to it,
// and a contractor with an active contract. Inserted directly (no audit).

export async function makeWishlistItem({ wardId = null, organisationId, status = 'pledged' }: { wardId?: string | null; organisationId?: string; status?: 'published' | 'pledged' | 'fulfilled' } = {}) {
  const org = organisationId ?? (await makeOrganisation('vcse')).id;
  const author = await makeUser('vcse', { organisationId: org });
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('wishlist_item').values({
    id, organisation_id: org, title: `Item ${id.slice(0, 6)}`, description: 'Tins and dry goods for the pantry', category: 'goods', theme: 'Communities',
    ward_id: wardId, estimated_value_pence: 50_000, status, created_by: author.id, created_at: now, updated_at: now, published_at: now,
  }).execute();
  return { id, organisationId: org, title: `Item ${id.slice(0, 6)}` };
}

export async function makePledge(supplierId: string, createdBy: string, { valuePence = 25_000, status = 'confirmed', contractId = null, priorityWard = false, itemId }: {
  valuePence?: number; status?: PledgeStatus; contractId?: string | null; priorityWard?: boolean; itemId?: string;
} = {}) {
  const item = itemId ? { id: itemId } : await makeWishlistItem({ wardId: priorityWard ? (await makeWard(undefined, true)).id : null });
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('pledge').values({
    id, item_id: item.id, supplier_id: supplierId, contract_id: contractId, description: 'Twenty food parcels', value_pence: valuePence,
    expected_date: '2026-12-01', status, created_by: createdBy, created_at: now, updated_at: now,
    confirmed_at: status === 'confirmed' ? now : null,
  }).execute();
  return { id, itemId: item.id, valuePence };
}

/** A supplier with a contractor user, an active contract and its officer; plus a measure worth £100 a unit. */
export async function makeClaimant() {
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id });
  const measure = await makeMeasure({ proxyPence: 10_000, unit: 'hours' });
  const actor = { userId: contractor.id, organisationId: supplier.id, requestId: null };
  const officerActor = { userId: officer.id, organisationId: officer.organisationId, requestId: null };
  return { supplier, contractor, officer, contract, measure, actor, officerActor };
}
