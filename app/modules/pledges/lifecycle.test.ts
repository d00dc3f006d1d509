import { describe, expect, it } from 'vitest';
import type { PledgeStatus } from '#db/schema';
import { canTake, FINAL_STATUSES, nextStatus, PLEDGE_STEPS, refusal, stepsFor, TRANSITIONS, type PledgeSide, type PledgeStep } from './lifecycle';

const ALL: PledgeStatus[] = ['offered', 'accepted', 'declined', 'delivered', 'confirmed', 'disputed', 'withdrawn'];
const SIDES: Array<PledgeSide | null> = ['supplier', 'recipient', null];

// Every allowed move: [from, step, by, to]. Anything not listed is refused.
const ALLOWED: Array<[PledgeStatus, PledgeStep, PledgeSide, PledgeStatus]> = [
  ['offered', 'accept', 'recipient', 'accepted'],
  ['offered', 'decline', 'recipient', 'declined'],
  ['offered', 'withdraw', 'supplier', 'withdrawn'],
  ['accepted', 'deliver', 'supplier', 'delivered'],
  ['accepted', 'withdraw', 'supplier', 'withdrawn'],
  ['delivered', 'confirm', 'recipient', 'confirmed'],
  ['delivered', 'dispute', 'recipient', 'disputed'],
  ['disputed', 'deliver', 'supplier', 'delivered'],
  ['disputed', 'confirm', 'recipient', 'confirmed'],
];

describe('pledge lifecycle', () => {
  it.each(ALLOWED)('%s --%s by the %s--> %s', (from, step, by, to) => {
    expect(nextStatus(from, step)).toBe(to);
    expect(canTake(from, step, by)).toBe(true);
    expect(refusal(from, step, by)).toBeNull();
  });

  it('refuses every other status and step, whoever asks', () => {
    for (const from of ALL) {
      for (const step of PLEDGE_STEPS) {
        for (const side of SIDES) {
          const allowed = ALLOWED.some(([f, s, b]) => f === from && s === step && b === side);
          expect(canTake(from, step, side), `${from} ${step} by ${side}`).toBe(allowed);
        }
      }
    }
  });

  it('says why: the wrong side is refused before the status is looked at', () => {
    expect(refusal('offered', 'accept', 'supplier')).toBe('wrong-side');
    expect(refusal('offered', 'deliver', 'recipient')).toBe('wrong-side');
    expect(refusal('offered', 'accept', null)).toBe('wrong-side');
    expect(refusal('confirmed', 'withdraw', 'recipient')).toBe('wrong-side');
    expect(refusal('accepted', 'accept', 'recipient')).toBe('wrong-status');
    expect(refusal('delivered', 'withdraw', 'supplier')).toBe('wrong-status');
    expect(refusal('declined', 'deliver', 'supplier')).toBe('wrong-status');
  });

  it('has no way out of declined, confirmed or withdrawn', () => {
    for (const status of FINAL_STATUSES) {
      for (const side of SIDES) expect(stepsFor(status, side)).toEqual([]);
      for (const step of PLEDGE_STEPS) expect(nextStatus(status, step)).toBeNull();
    }
  });

  it('lists the steps each side may take from each status', () => {
    expect(stepsFor('offered', 'recipient')).toEqual(['accept', 'decline']);
    expect(stepsFor('offered', 'supplier')).toEqual(['withdraw']);
    expect(stepsFor('accepted', 'supplier')).toEqual(['deliver', 'withdraw']);
    expect(stepsFor('accepted', 'recipient')).toEqual([]);
    expect(stepsFor('delivered', 'recipient')).toEqual(['confirm', 'dispute']);
    expect(stepsFor('delivered', 'supplier')).toEqual([]);
    expect(stepsFor('disputed', 'supplier')).toEqual(['deliver']);
    expect(stepsFor('disputed', 'recipient')).toEqual(['confirm']);
    // Staff (no side) never act.
    for (const status of ALL) expect(stepsFor(status, null)).toEqual([]);
  });

  it('needs a reason to decline or dispute and a note to deliver', () => {
    expect(TRANSITIONS.decline.needs).toBe('reason');
    expect(TRANSITIONS.dispute.needs).toBe('reason');
    expect(TRANSITIONS.deliver.needs).toBe('note');
    expect(TRANSITIONS.accept.needs).toBeNull();
    expect(TRANSITIONS.confirm.needs).toBeNull();
    expect(TRANSITIONS.withdraw.needs).toBeNull();
  });
});
