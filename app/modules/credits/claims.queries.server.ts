import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';

// What the claim pages read. Every query is scoped in SQL: a contractor's
// organisation (`supplierId`), or null for council staff.

/** One claim with its contract, supplier, measure or pledge, and decider; undefined when out of scope. */
export function findClaim(db: DbOrTx, claimId: string, supplierId: string | null) {
  let query = db
    .selectFrom('credit_claim as c')
    .innerJoin('contract as k', 'k.id', 'c.contract_id')
    .innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .leftJoin('measure as m', 'm.id', 'c.measure_id')
    .leftJoin('pledge as p', 'p.id', 'c.pledge_id')
    .leftJoin('wishlist_item as i', 'i.id', 'p.item_id')
    .leftJoin('organisation as v', 'v.id', 'i.organisation_id')
    .leftJoin('user as d', 'd.id', 'c.decided_by')
    .leftJoin('user as u', 'u.id', 'c.created_by')
    .select([
      'c.id', 'c.kind', 'c.status', 'c.description', 'c.quantity_milli as quantityMilli', 'c.proxy_value_pence as proxyValuePence',
      'c.uplift_percent as upliftPercent', 'c.requested_value_pence as requestedValuePence', 'c.approved_value_pence as approvedValuePence',
      'c.decision_reason as decisionReason', 'c.decided_at as decidedAt', 'd.name as decidedByName', 'c.created_at as createdAt',
      'c.created_by as createdBy', 'u.name as createdByName', 'c.updated_at as updatedAt',
      'k.id as contractId', 'k.reference as contractReference', 'k.title as contractTitle', 's.id as supplierId', 's.name as supplierName',
      'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'p.id as pledgeId', 'p.value_pence as pledgeValuePence',
      'i.id as itemId', 'i.title as itemTitle', 'v.name as vcseName',
    ])
    .where('c.id', '=', claimId);
  if (supplierId !== null) query = query.where('c.supplier_id', '=', supplierId);
  return query.executeTakeFirst();
}

export type ClaimView = NonNullable<Awaited<ReturnType<typeof findClaim>>>;

/** The organisation's active contracts (the claim form's choice). */
export function listClaimContracts(db: DbOrTx, supplierId: string) {
  return db.selectFrom('contract').select(['id', 'reference', 'title'])
    .where('supplier_id', '=', supplierId).where('status', '=', 'active')
    .orderBy(sql`reference COLLATE NOCASE`).execute();
}

/** The organisation's confirmed pledges that back no live claim. */
export function listClaimablePledges(db: DbOrTx, supplierId: string) {
  return db.selectFrom('pledge as p')
    .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .select(['p.id', 'p.value_pence as valuePence', 'p.contract_id as contractId', 'p.description', 'i.title as itemTitle', 'v.name as vcseName'])
    .where('p.supplier_id', '=', supplierId)
    .where('p.status', '=', 'confirmed')
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('credit_claim as c').select('c.id').whereRef('c.pledge_id', '=', 'p.id').where('c.status', 'in', ['requested', 'approved']),
    )))
    .orderBy('p.confirmed_at', 'desc')
    .execute();
}

/** Active measures with a proxy value (an activity claim's choice). */
export function listClaimMeasures(db: DbOrTx) {
  return db.selectFrom('measure').select(['id', 'code', 'title', 'unit', 'proxy_value_pence as proxyValuePence', 'theme'])
    .where('active', '=', 1).where('proxy_value_pence', '>', 0)
    .orderBy(sql`code COLLATE NOCASE`).execute();
}

/** The organisation's claims, newest first (for its credits page). */
export function listSupplierClaims(db: DbOrTx, supplierId: string, limit = 50) {
  return db.selectFrom('credit_claim as c').innerJoin('contract as k', 'k.id', 'c.contract_id')
    .select(['c.id', 'c.kind', 'c.status', 'c.description', 'c.requested_value_pence as requestedValuePence', 'c.approved_value_pence as approvedValuePence',
      'c.created_at as createdAt', 'k.reference as contractReference'])
    .where('c.supplier_id', '=', supplierId)
    .orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
}
