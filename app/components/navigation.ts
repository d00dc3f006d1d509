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
  creditRequestsAwaiting: number;
  wishlistAwaitingModeration: number;
}

// Role-aware navigation: one list, filtered by the permission matrix.
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Home' },
  { href: '/wishlist', label: 'Wishlist' },
  { href: '/organisation', label: 'Our organisation', permission: 'vcse:profile' },
  { href: '/organisation/wishlist', label: 'Our wishlist', permission: 'wishlist:manage' },
  { href: '/pledges', label: 'Pledges', permission: 'pledge:list' },
  { href: '/contracts', label: 'Contracts', permission: 'contract:read' },
  { href: '/returns', label: 'Returns', permission: 'return:submit' },
  { href: '/credits', label: 'Credits', permission: 'credit:request' },
  { href: '/officer/dashboard', label: 'Dashboard', permission: 'report:read' },
  { href: '/officer/returns', label: 'Returns to review', permission: 'return:review', count: 'returnsAwaitingReview' },
  { href: '/officer/credits', label: 'Claims and swaps', permission: 'credit:decide', count: 'creditRequestsAwaiting' },
  { href: '/officer/wishlist', label: 'Wishlist moderation', permission: 'wishlist:moderate', count: 'wishlistAwaitingModeration' },
  { href: '/officer/stories', label: 'Stories', permission: 'story:manage' },
  { href: '/officer/newsletters', label: 'Newsletters', permission: 'newsletter:manage' },
  { href: '/officer/organisations', label: 'Organisations', permission: 'organisation:verify' },
  { href: '/officer/invitations', label: 'Invitations', permission: 'invitation:create' },
  { href: '/admin/users', label: 'Users', permission: 'user:manage' },
  { href: '/admin/measures', label: 'Measures', permission: 'measure:manage' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings:manage' },
  { href: '/admin/audit', label: 'Audit trail', permission: 'audit:read' },
  { href: '/admin/outbox', label: 'Outbox', permission: 'outbox:read' },
  { href: '/impact', label: 'Our impact' },
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
