import type { DbOrTx } from '#db/client';
import type { OrganisationKind, OrganisationStatus } from '#db/schema';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// Repository functions for organisations (the council, suppliers, VCSE organisations).

export function findOrganisation(db: DbOrTx, id: string) {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The council that runs this deployment (one authority per deployment). */
export function findCouncil(db: DbOrTx) {
  return db.selectFrom('organisation').selectAll().where('kind', '=', 'council').orderBy('created_at').executeTakeFirst();
}

export function listWards(db: DbOrTx) {
  return db.selectFrom('ward').select(['id', 'name', 'is_priority']).orderBy('name').execute();
}

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  status: OrganisationStatus;
  charityNumber?: string | null;
  companyNumber?: string | null;
  wardId?: string | null;
  description?: string | null;
  website?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
}

export async function insertOrganisation(db: DbOrTx, org: NewOrganisation): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('organisation')
    .values({
      id, name: org.name, kind: org.kind, status: org.status,
      charity_number: org.charityNumber ?? null, company_number: org.companyNumber ?? null, ward_id: org.wardId ?? null,
      description: org.description ?? null, website: org.website ?? null,
      contact_name: org.contactName ?? null, contact_email: org.contactEmail ?? null, contact_phone: org.contactPhone ?? null,
      decision_reason: null, decided_by: null, decided_at: null, created_at: now, updated_at: now,
    })
    .execute();
  return id;
}

export function findWard(db: DbOrTx, id: string) {
  return db.selectFrom('ward').select(['id', 'name', 'is_priority']).where('id', '=', id).executeTakeFirst();
}

/** A supplier with this name, ignoring case (suppliers' names are unique that way). */
export function findSupplierByName(db: DbOrTx, name: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'status'])
    .where('kind', '=', 'supplier')
    // lower() on both sides: SQLite's lower() folds only ASCII, as the unique index does.
    .where((eb) => eb(eb.fn('lower', ['name']), '=', eb.fn('lower', [eb.val(name.trim())])))
    .executeTakeFirst();
}

/** Verified suppliers, by name: the organisations a contractor can be invited to. */
export function listVerifiedSuppliers(db: DbOrTx) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'company_number'])
    .where('kind', '=', 'supplier')
    .where('status', '=', 'verified')
    .orderBy('name')
    .execute();
}

/** One organisation with its ward's name and the name of whoever decided on it. */
export function findOrganisationDetails(db: DbOrTx, id: string) {
  return db
    .selectFrom('organisation')
    .leftJoin('ward', 'ward.id', 'organisation.ward_id')
    .leftJoin('user as decider', 'decider.id', 'organisation.decided_by')
    .selectAll('organisation')
    .select(['ward.name as ward_name', 'decider.name as decided_by_name'])
    .where('organisation.id', '=', id)
    .executeTakeFirst();
}
