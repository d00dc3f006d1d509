import { describe, expect, it } from 'vitest';
import type { WishlistStatus } from '#db/schema';
import { canTake, ITEM_RULES, nextStatus, ownerActions, type ItemAction } from './lifecycle';
import { WISHLIST_STATUSES } from './wishlist';

describe('wishlist item lifecycle', () => {
  it('follows the domain: draft → submitted → published | rejected; rejected → submitted', () => {
    expect(nextStatus('submit', 'draft')).toBe('submitted');
    expect(nextStatus('approve', 'submitted')).toBe('published');
    expect(nextStatus('reject', 'submitted')).toBe('rejected');
    expect(nextStatus('submit', 'rejected')).toBe('submitted');
    expect(nextStatus('close', 'fulfilled')).toBe('closed');
    expect(nextStatus('expire', 'published')).toBe('expired');
    expect(nextStatus('expire', 'pledged')).toBe('expired');
  });

  it('sends an edited published item back to moderation and keeps other statuses', () => {
    expect(nextStatus('edit', 'published')).toBe('submitted');
    expect(nextStatus('edit', 'draft')).toBe('draft');
    expect(nextStatus('edit', 'rejected')).toBe('rejected');
    expect(nextStatus('edit', 'submitted')).toBe('submitted');
    for (const s of ['pledged', 'fulfilled', 'closed', 'withdrawn', 'expired'] as const) expect(nextStatus('edit', s)).toBeNull();
  });

  it('lets the owner withdraw from draft, submitted, published and rejected only', () => {
    const allowed = WISHLIST_STATUSES.filter((s) => nextStatus('withdraw', s) !== null);
    expect(allowed).toEqual(['draft', 'submitted', 'published', 'rejected']);
  });

  it('keeps the status on a correction of a published or pledged item', () => {
    expect(nextStatus('correct', 'published')).toBe('published');
    expect(nextStatus('correct', 'pledged')).toBe('pledged');
    expect(nextStatus('correct', 'submitted')).toBeNull();
  });

  it('gives each action to one kind of actor', () => {
    expect(canTake('approve', 'submitted', 'officer')).toBe(true);
    expect(canTake('approve', 'submitted', 'owner')).toBe(false);
    expect(canTake('submit', 'draft', 'officer')).toBe(false);
    expect(canTake('expire', 'published', 'owner')).toBe(false);
    expect(canTake('expire', 'published', 'system')).toBe(true);
  });

  it('never leaves a terminal status (closed, withdrawn, expired)', () => {
    for (const status of ['closed', 'withdrawn', 'expired'] as WishlistStatus[]) {
      for (const action of Object.keys(ITEM_RULES) as ItemAction[]) expect(nextStatus(action, status), `${action} from ${status}`).toBeNull();
    }
  });

  it('lists the owner actions per status', () => {
    expect(ownerActions('draft')).toEqual(['edit', 'submit', 'withdraw']);
    expect(ownerActions('published')).toEqual(['edit', 'withdraw']);
    expect(ownerActions('fulfilled')).toEqual(['close']);
    expect(ownerActions('pledged')).toEqual([]);
  });
});
