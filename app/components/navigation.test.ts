import { describe, expect, it } from 'vitest';
import { navFor } from './navigation';

const hrefs = (items: { href: string }[]) => items.map((i) => i.href);

describe('navigation', () => {
  it('shows the public only public pages', () => {
    expect(hrefs(navFor('public'))).toEqual(['/', '/wishlist', '/impact', '/register']);
  });
  it('shows admins the outbox only where the outbox page exists', () => {
    expect(hrefs(navFor('admin'))).not.toContain('/admin/outbox');
    expect(hrefs(navFor('admin', { outboxVisible: true }))).toContain('/admin/outbox');
    expect(hrefs(navFor('officer', { outboxVisible: true }))).not.toContain('/admin/outbox');
  });
  it('follows the permission matrix for each role', () => {
    expect(hrefs(navFor('contractor'))).toEqual(['/', '/wishlist', '/pledges', '/contracts', '/returns', '/credits', '/impact']);
    expect(hrefs(navFor('vcse'))).toEqual(['/', '/wishlist', '/organisation', '/organisation/wishlist', '/pledges', '/impact']);
    expect(hrefs(navFor('officer'))).toContain('/officer/organisations');
    expect(hrefs(navFor('officer'))).not.toContain('/admin/users');
  });
});
