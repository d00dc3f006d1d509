import { describe, expect, it } from 'vitest';
import type { PledgeStatus, WishlistStatus } from '#db/schema';
import { WISHLIST_STATUSES } from '~/modules/wishlist/wishlist';
import { ACCEPT_BLOCKED, exceedsEstimate, itemAllows, itemBlock, itemNotice, PLEDGE_ACTS, waitingOffersNote, type PledgeAct } from './item-rule';
import { PLEDGE_STEPS } from './lifecycle';

// The whole table, written out by hand: item status (rows) x pledge step (columns).
// Y: the item's status allows the step; n: it does not.
//                       offer accept decline deliver confirm dispute withdraw
const TABLE: Record<WishlistStatus, string> = {
  draft: /*         */ 'n     n      Y       Y       Y       Y       Y',
  submitted: /*     */ 'n     n      Y       Y       Y       Y       Y',
  published: /*     */ 'Y     Y      Y       Y       Y       Y       Y',
  rejected: /*      */ 'n     n      Y       Y       Y       Y       Y',
  pledged: /*       */ 'Y     Y      Y       Y       Y       Y       Y',
  fulfilled: /*     */ 'n     n      Y       Y       Y       Y       Y',
  closed: /*        */ 'n     n      Y       Y       Y       Y       Y',
  withdrawn: /*     */ 'n     n      Y       Y       Y       Y       Y',
  expired: /*       */ 'n     n      Y       Y       Y       Y       Y',
};
const COLUMNS: PledgeAct[] = ['offer', 'accept', 'decline', 'deliver', 'confirm', 'dispute', 'withdraw'];

const cases = WISHLIST_STATUSES.flatMap((status) => {
  const marks = TABLE[status].split(/\s+/);
  return COLUMNS.map((act, i) => [status, act, marks[i] === 'Y'] as const);
});

describe('which pledge steps an item’s status allows', () => {
  it('covers every item status and every step', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...WISHLIST_STATUSES].sort());
    expect([...COLUMNS].sort()).toEqual([...PLEDGE_ACTS].sort());
    expect([...PLEDGE_ACTS].sort()).toEqual([...PLEDGE_STEPS, 'offer'].sort());
    expect(cases).toHaveLength(WISHLIST_STATUSES.length * PLEDGE_ACTS.length);
  });

  it.each(cases)('item %s, %s: allowed %s', (status, act, allowed) => {
    expect(itemAllows(act, status)).toBe(allowed);
    expect(itemBlock(act, status) === null).toBe(allowed);
  });

  it('says why an offer cannot be accepted, for each status that stops it', () => {
    expect(itemBlock('accept', 'fulfilled')).toBe('met');
    expect(itemBlock('accept', 'closed')).toBe('closed');
    expect(itemBlock('accept', 'expired')).toBe('expired');
    expect(itemBlock('accept', 'withdrawn')).toBe('withdrawn');
    expect(itemBlock('accept', 'submitted')).toBe('in-moderation');
    expect(itemBlock('accept', 'rejected')).toBe('not-approved');
    expect(itemBlock('accept', 'draft')).toBe('draft');
    for (const message of Object.values(ACCEPT_BLOCKED)) expect(message).toMatch(/decline/);
    expect(ACCEPT_BLOCKED['in-moderation']).toMatch(/once the council has approved it/);
  });

  it('refuses an offer worth more than the need’s estimate (lowered since), but not on an item with no estimate', () => {
    expect(exceedsEstimate(50_001, 50_000)).toBe(true);
    expect(exceedsEstimate(50_000, 50_000)).toBe(false);
    expect(exceedsEstimate(10_000, 0)).toBe(false);
  });
});

describe('what the pledge page says about the need', () => {
  const TAKEN_ON: PledgeStatus[] = ['accepted', 'delivered', 'disputed'];

  it('says nothing while the need is open', () => {
    for (const status of ['published', 'pledged'] as const) {
      for (const pledge of ['offered', ...TAKEN_ON] as const) for (const side of ['supplier', 'recipient', null] as const) expect(itemNotice(status, pledge, side)).toBeNull();
    }
  });

  it('tells each side why an offer cannot be accepted, and what they can do', () => {
    expect(itemNotice('submitted', 'offered', 'recipient')).toBe(ACCEPT_BLOCKED['in-moderation']);
    expect(itemNotice('submitted', 'offered', 'supplier')).toMatch(/^The organisation changed this need.*cannot be accepted until the need is back on the wishlist\. You can withdraw it at any time\.$/);
    expect(itemNotice('rejected', 'offered', 'supplier')).toMatch(/council did not approve/);
    expect(itemNotice('fulfilled', 'offered', 'supplier')).toMatch(/^This need has been met by other pledges, so your pledge can no longer be accepted/);
    expect(itemNotice('expired', 'offered', null)).toBe('This need has passed its needed-by date, so this pledge can no longer be accepted.');
  });

  it('says an accepted pledge carries on after the need leaves the public wishlist', () => {
    for (const status of ['expired', 'closed'] as const) {
      for (const pledge of TAKEN_ON) expect(itemNotice(status, pledge, 'supplier')).toMatch(/This pledge carries on: it was accepted, so it can still be delivered and its receipt confirmed\.$/);
    }
    // A fulfilled need is still public and still has pledges being delivered: nothing to explain.
    expect(itemNotice('fulfilled', 'accepted', 'supplier')).toBeNull();
    for (const done of ['declined', 'confirmed', 'withdrawn'] as const) expect(itemNotice('expired', done, 'recipient')).toBeNull();
  });

  it('tells the owner why offers wait on an item back with the council', () => {
    expect(waitingOffersNote('published')).toBeNull();
    expect(waitingOffersNote('submitted')).toMatch(/stay while the council checks your changes/);
    expect(waitingOffersNote('rejected')).toMatch(/once you have changed the item/);
    expect(waitingOffersNote('expired')).toMatch(/can only be declined/);
  });
});
