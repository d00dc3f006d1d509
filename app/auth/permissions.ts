// The one permission matrix. Pure: imported by server guards and by the UI
// (to show or hide actions); the server check is the one that counts.
import type { Role } from '#db/schema';

export type { Role };
export type Actor = 'public' | Role;
export const ROLES: readonly Role[] = ['vcse', 'contractor', 'officer', 'admin'];

const SIGNED_IN: readonly Actor[] = ROLES;
const STAFF: readonly Actor[] = ['officer', 'admin'];

export const PERMISSIONS = {
  /** Own account: change password, sign out everywhere. */
  'account:manage': SIGNED_IN,
  /** Invite a contractor user to a supplier organisation. */
  'invitation:create': STAFF,
  /** Verify or reject VCSE organisations awaiting verification. */
  'organisation:verify': STAFF,
  /** See the list of organisations. */
  'organisation:list': STAFF,
  /** A VCSE user's own organisation profile. */
  'vcse:profile': ['vcse'],
  /** A contractor's own organisation home. */
  'contractor:home': ['contractor'],
  /** Change users' roles, deactivate and reactivate them. */
  'user:manage': ['admin'],
  /** Browse the audit trail. */
  'audit:read': ['admin'],
  /** Read the notification outbox (development and demo). */
  'outbox:read': ['admin'],
  /** Add, edit, retire, import and export the measures framework. */
  'measure:manage': ['admin'],
  /** Create, edit and close contracts and their commitments; see every contract. */
  'contract:manage': STAFF,
  /** See contracts: staff see all; contractors only their own organisation's (scoped in the query). */
  'contract:read': ['officer', 'admin', 'contractor'],
  /** Draft, submit and resubmit progress returns for their own organisation's commitments. */
  'return:submit': ['contractor'],
  /** See every return and evidence file; approve, reject or ask for more information. */
  'return:review': STAFF,
  /** The authority's settings (reporting period, and later the credit policy). */
  'settings:manage': ['admin'],
  /** Draft, submit, edit and withdraw their own organisation's wishlist items (verified VCSE only, checked in the service). */
  'wishlist:manage': ['vcse'],
  /** Approve or reject submitted wishlist items; correct a published item's category, theme or ward. */
  'wishlist:moderate': STAFF,
  /** Offer a pledge against a wishlist item, mark it delivered, withdraw it. */
  'pledge:make': ['contractor'],
  /** Accept or decline pledges to their own organisation's items; confirm or dispute delivery. */
  'pledge:respond': ['vcse'],
  /** See pledges: contractors their own organisation's, VCSE users those made to their items (scoped in the query). */
  'pledge:list': ['contractor', 'vcse'],
  /** Claim credits and request swaps for their own organisation's contracts; see their balances and ledger. */
  'credit:request': ['contractor'],
  /** Decide claims and swaps, reverse ledger transactions, see and export every contract's ledger. */
  'credit:decide': STAFF,
  /** The officer dashboard, breakdowns, CSV exports and the annual impact report. */
  'report:read': STAFF,
  /** Draft, edit, publish and unpublish stories of impact. */
  'story:manage': STAFF,
  /** Build, preview and send the quarterly newsletter. */
  'newsletter:manage': STAFF,
} as const satisfies Record<string, readonly Actor[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Actor[]).includes(actor ?? 'public');
}

export const ROLE_LABELS: Record<Role, string> = {
  vcse: 'VCSE organisation',
  contractor: 'Contractor',
  officer: 'Council officer',
  admin: 'Administrator',
};
