import { z } from 'zod';
import type { OrganisationKind, Role } from '#db/schema';

// Shared by the admin user pages and their actions (no server imports).

export const USER_STATUSES = ['active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const ORGANISATION_KINDS = ['council', 'supplier', 'vcse'] as const satisfies readonly OrganisationKind[];
const ROLE_VALUES = ['vcse', 'contractor', 'officer', 'admin'] as const satisfies readonly Role[];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  council: 'Council',
  supplier: 'Supplier (contractor)',
  vcse: 'VCSE organisation',
};

export const STATUS_LABELS: Record<UserStatus, string> = { active: 'Active', deactivated: 'Deactivated' };

/**
 * The roles a user may hold, by the kind of organisation they belong to
 * (docs/decisions/0005-user-roles-and-last-admin.md). Only council staff have a choice.
 */
export const ROLES_FOR_KIND: Record<OrganisationKind, readonly Role[]> = {
  council: ['officer', 'admin'],
  supplier: ['contractor'],
  vcse: ['vcse'],
};

export function roleFitsOrganisation(role: Role, kind: OrganisationKind): boolean {
  return ROLES_FOR_KIND[kind].includes(role);
}

export const USERS_PAGE_SIZE = 25;

/** The list's filters, read from the query string. A value that is not offered is ignored. */
export const userFiltersSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined),
  role: z.enum(ROLE_VALUES).optional().catch(undefined),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
  kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined),
});
export type UserFilters = z.infer<typeof userFiltersSchema>;

export function parseUserFilters(searchParams: URLSearchParams): UserFilters {
  const raw = Object.fromEntries(['q', 'role', 'status', 'kind'].map((key) => [key, searchParams.get(key) || undefined]));
  return userFiltersSchema.parse(raw);
}

// The form's `version` is the user's updated_at when the page was drawn: an
// action on a user someone else changed meanwhile is refused (409), not applied.
const version = z.string({ required_error: 'Reload the page and try again' }).max(40);

export const userActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('change-role'),
    role: z.enum(ROLE_VALUES, { errorMap: () => ({ message: 'Select a role' }) }),
    version,
  }),
  z.object({ intent: z.literal('deactivate'), version }),
  z.object({ intent: z.literal('reactivate'), version }),
]);
export type UserAction = z.infer<typeof userActionSchema>;
