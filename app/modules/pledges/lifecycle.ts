import type { PledgeStatus } from '#db/schema';

// A pledge's lifecycle (docs/pledges.md). Pure: the services, the pledge page
// (which buttons to show) and the tests all read this one table.
//
//   offered ──accept──▶ accepted ──deliver──▶ delivered ──confirm──▶ confirmed
//      │                   │                     │
//      ├──decline──▶ declined                    └──dispute──▶ disputed ──deliver──▶ delivered
//      └──withdraw─▶ withdrawn ◀──withdraw──┘                          └──confirm──▶ confirmed
//
// The supplier (the contractor's organisation that made the pledge) offers,
// delivers and withdraws; the recipient (the VCSE organisation whose item it
// is) accepts, declines, confirms and disputes. Nobody else takes a step:
// council staff may read a pledge but not act on it.

export type PledgeStep = 'accept' | 'decline' | 'deliver' | 'confirm' | 'dispute' | 'withdraw';
export type PledgeSide = 'supplier' | 'recipient';

interface Transition {
  from: readonly PledgeStatus[];
  to: PledgeStatus;
  by: PledgeSide;
  /** What the step must carry: a reason (decline, dispute), a note (deliver), or nothing required. */
  needs: 'reason' | 'note' | null;
}

export const TRANSITIONS: Record<PledgeStep, Transition> = {
  accept: { from: ['offered'], to: 'accepted', by: 'recipient', needs: null },
  decline: { from: ['offered'], to: 'declined', by: 'recipient', needs: 'reason' },
  deliver: { from: ['accepted', 'disputed'], to: 'delivered', by: 'supplier', needs: 'note' },
  confirm: { from: ['delivered', 'disputed'], to: 'confirmed', by: 'recipient', needs: null },
  dispute: { from: ['delivered'], to: 'disputed', by: 'recipient', needs: 'reason' },
  withdraw: { from: ['offered', 'accepted'], to: 'withdrawn', by: 'supplier', needs: null },
};

export const PLEDGE_STEPS = Object.keys(TRANSITIONS) as PledgeStep[];

/** No step leads out of these. */
export const FINAL_STATUSES: readonly PledgeStatus[] = ['declined', 'confirmed', 'withdrawn'];

export const isPledgeStep = (value: unknown): value is PledgeStep => typeof value === 'string' && Object.hasOwn(TRANSITIONS, value);

/** The status a step leads to from `status`, or null when the step does not apply to that status. */
export function nextStatus(status: PledgeStatus, step: PledgeStep): PledgeStatus | null {
  const t = TRANSITIONS[step];
  return t.from.includes(status) ? t.to : null;
}

/** Why a side may not take a step now, or null when it may. */
export function refusal(status: PledgeStatus, step: PledgeStep, side: PledgeSide | null): 'wrong-side' | 'wrong-status' | null {
  const t = TRANSITIONS[step];
  if (side !== t.by) return 'wrong-side';
  if (!t.from.includes(status)) return 'wrong-status';
  return null;
}

export const canTake = (status: PledgeStatus, step: PledgeStep, side: PledgeSide | null): boolean => refusal(status, step, side) === null;

/** The steps a side may take from a status, in the order the pledge page shows them. */
export function stepsFor(status: PledgeStatus, side: PledgeSide | null): PledgeStep[] {
  return PLEDGE_STEPS.filter((step) => canTake(status, step, side));
}
