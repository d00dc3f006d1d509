import { getDb } from '../../db/client';
import type { OrganisationKind, OrganisationStatus, Role } from '../../db/schema';
import { hashPassword } from '~/auth/password.server';
import { insertOrganisation } from '~/modules/organisations/organisations.server';
import { insertUser } from '~/modules/users/users.server';
import { newId } from '~/utils/ids.server';

// Test data builders on the real database. Every value is unique per call.
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function makeWard(name = `Ward ${unique()}`, isPriority = false) {
  const id = newId();
  await getDb().insertInto('ward').values({ id, name, is_priority: isPriority ? 1 : 0 }).execute();
  return { id, name };
}

export async function makeOrganisation(kind: OrganisationKind = 'supplier', status: OrganisationStatus = 'verified', name = `Org ${unique()}`) {
  const id = await insertOrganisation(getDb(), { name, kind, status, contactEmail: `contact-${unique()}@example.org` });
  return { id, name };
}

const ORG_KIND: Record<Role, OrganisationKind> = { admin: 'council', officer: 'council', contractor: 'supplier', vcse: 'vcse' };

export async function makeUser(role: Role, { organisationId, password, email }: { organisationId?: string; password?: string; email?: string } = {}) {
  const orgId = organisationId ?? (await makeOrganisation(ORG_KIND[role])).id;
  const address = email ?? `${role}-${unique()}@example.org`;
  const id = await insertUser(getDb(), {
    email: address, name: `Test ${role}`, role, organisationId: orgId, passwordHash: password ? await hashPassword(password) : null,
  });
  return { id, email: address, organisationId: orgId, role };
}

/** A measure in the framework (active unless told otherwise). */
export async function makeMeasure({ theme = 'Jobs', unit = 'FTE', proxyPence = 1_000_000, active = true, code = `M-${unique()}` }: { theme?: string; unit?: string; proxyPence?: number; active?: boolean; code?: string } = {}) {
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('measure').values({
    id, code, theme, outcome: `Outcome ${code}`, title: `Measure ${code}`, unit, proxy_value_pence: proxyPence, framework_year: 2026,
    active: active ? 1 : 0, created_at: now, updated_at: now,
  }).execute();
  return { id, code, theme, unit, proxyPence };
}

/** A contract inserted directly (no audit); supplier and officer are made when not given. */
export async function makeContract({ supplierId, officerId, reference = `C-${unique()}`, title = `Contract ${reference}`, valuePence = 100_000_000, startDate = '2026-04-01', endDate = '2028-03-31', status = 'active' }: {
  supplierId?: string; officerId?: string; reference?: string; title?: string; valuePence?: number; startDate?: string; endDate?: string; status?: 'active' | 'completed' | 'terminated';
} = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const supplier = supplierId ?? (await makeOrganisation('supplier')).id;
  const officer = officerId ?? (await makeUser('officer')).id;
  await getDb().insertInto('contract').values({
    id, reference, title, supplier_id: supplier, value_pence: valuePence, start_date: startDate, end_date: endDate, officer_id: officer,
    status, closed_at: status === 'active' ? null : now, closure_reason: status === 'active' ? null : 'Test', created_at: now, updated_at: now,
  }).execute();
  return { id, reference, title, supplierId: supplier, officerId: officer, startDate, endDate };
}

/** A commitment inserted directly, with the delivered and substituted quantities a later approval would have set. */
export async function makeCommitment(contractId: string, measureId: string, { targetMilli = 1000, proxyPence, dueDate = '2027-03-31', wardId = null, deliveredMilli = 0, substitutedMilli = 0, description = 'Test commitment' }: {
  targetMilli?: number; proxyPence?: number; dueDate?: string; wardId?: string | null; deliveredMilli?: number; substitutedMilli?: number; description?: string;
} = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const proxy = proxyPence ?? (await getDb().selectFrom('measure').select('proxy_value_pence').where('id', '=', measureId).executeTakeFirstOrThrow()).proxy_value_pence;
  await getDb().insertInto('commitment').values({
    id, contract_id: contractId, measure_id: measureId, target_milli: targetMilli, proxy_value_pence: proxy, due_date: dueDate, ward_id: wardId,
    description, delivered_milli: deliveredMilli, substituted_milli: substitutedMilli, created_at: now, updated_at: now,
  }).execute();
  return { id, targetMilli, proxyPence: proxy };
}

/** A progress return inserted directly (no audit, thread or notification), for a commitment of a contract. */
export async function makeReturn(commitmentId: string, { status = 'submitted', periodStart = '2026-04-01', periodEnd = '2026-06-30', quantityMilli = 1000, narrative = 'Delivered as planned', createdBy }: {
  status?: 'draft' | 'submitted' | 'approved' | 'rejected' | 'more_info_requested'; periodStart?: string; periodEnd?: string; quantityMilli?: number; narrative?: string; createdBy?: string;
} = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const cm = await getDb().selectFrom('commitment').innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['contract.id as contractId', 'contract.supplier_id as supplierId']).where('commitment.id', '=', commitmentId).executeTakeFirstOrThrow();
  const author = createdBy ?? (await makeUser('contractor', { organisationId: cm.supplierId })).id;
  const sent = status === 'draft' ? null : now;
  await getDb().insertInto('progress_return').values({
    id, commitment_id: commitmentId, contract_id: cm.contractId, supplier_id: cm.supplierId, period_start: periodStart, period_end: periodEnd,
    quantity_milli: quantityMilli, narrative, is_story: 0, status, approved_quantity_milli: null, decision_reason: null, decided_by: null, decided_at: null,
    submitted_at: sent, first_submitted_at: sent, created_by: author, created_at: now, updated_at: now,
  }).execute();
  return { id, contractId: cm.contractId, supplierId: cm.supplierId, createdBy: author };
}
