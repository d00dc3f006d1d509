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
