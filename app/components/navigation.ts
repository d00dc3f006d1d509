import { can, type Actor, type Permission } from '~/auth/permissions';

export interface NavItem {
  href: string;
  label: string;
  /** Shown only when the actor holds this permission; omitted = shown to all. */
  permission?: Permission;
  /** Shown only to visitors who are not signed in. */
  anonymousOnly?: boolean;
  /** A number shown beside the label (from the root loader's counts). */
  count?: keyof NavCounts;
}

export interface NavCounts {
  returnsAwaitingReview: number;
}

// Role-aware navigation: one list, filtered by the permission matrix.
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Home' },
  { href: '/organisation', label: 'Our organisation', permission: 'vcse:profile' },
  { href: '/contracts', label: 'Contracts', permission: 'contract:read' },
  { href: '/returns', label: 'Returns', permission: 'return:submit' },
  { href: '/officer/returns', label: 'Returns to review', permission: 'return:review', count: 'returnsAwaitingReview' },
  { href: '/officer/organisations', label: 'Organisations', permission: 'organisation:verify' },
  { href: '/officer/invitations', label: 'Invitations', permission: 'invitation:create' },
  { href: '/admin/users', label: 'Users', permission: 'user:manage' },
  { href: '/admin/measures', label: 'Measures', permission: 'measure:manage' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings:manage' },
  { href: '/admin/audit', label: 'Audit trail', permission: 'audit:read' },
  { href: '/admin/outbox', label: 'Outbox', permission: 'outbox:read' },
  { href: '/register', label: 'Register a VCSE organisation', anonymousOnly: true },
];

/** The outbox page exists only in development and demo mode (see isOutboxVisible). */
export function navFor(actor: Actor, { outboxVisible = false }: { outboxVisible?: boolean } = {}): NavItem[] {
  return NAV_ITEMS.filter((item) => {
    if (item.permission === 'outbox:read' && !outboxVisible) return false;
    if (item.anonymousOnly) return actor === 'public';
    return !item.permission || can(actor, item.permission);
  });
}
