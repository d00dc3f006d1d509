import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitmentStatus } from './commitment-status';

const base = { targetMilli: 10_000, startDate: '2026-01-01', dueDate: '2026-12-31' };

describe('commitmentStatus', () => {
  it('is met once delivered and substituted reach the target, even after the due date', () => {
    expect(commitmentStatus({ ...base, achievedMilli: 10_000, today: '2027-03-01' })).toBe('met');
    expect(commitmentStatus({ ...base, achievedMilli: 12_000, today: '2026-02-01' })).toBe('met');
  });
  it('is overdue after the due date when not met', () => {
    expect(commitmentStatus({ ...base, achievedMilli: 9_999, today: '2027-01-01' })).toBe('overdue');
  });
  it('is on the due date still judged by progress', () => {
    expect(commitmentStatus({ ...base, achievedMilli: 9_500, today: '2026-12-31' })).toBe('on_track');
  });
  it('is on track early on with nothing delivered yet', () => {
    expect(commitmentStatus({ ...base, achievedMilli: 0, today: '2026-01-20' })).toBe('on_track');
    expect(commitmentStatus({ ...base, achievedMilli: 0, today: '2025-12-01' })).toBe('on_track');
  });
  it('is at risk when trailing time elapsed by 10 to 25 per cent of the target', () => {
    // Half-way through the year (day 181 of 364), 30 per cent delivered: about 20 points behind.
    expect(commitmentStatus({ ...base, achievedMilli: 3_000, today: '2026-07-01' })).toBe('at_risk');
  });
  it('is behind when trailing by more than 25 per cent', () => {
    expect(commitmentStatus({ ...base, achievedMilli: 1_000, today: '2026-07-01' })).toBe('behind');
  });
  it('never gets worse when more is delivered (same day)', () => {
    const rank = { met: 4, on_track: 3, at_risk: 2, behind: 1, overdue: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: -30, max: 400 }), (achieved, more, day) => {
        const today = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
        const a = commitmentStatus({ ...base, achievedMilli: achieved, today });
        const b = commitmentStatus({ ...base, achievedMilli: achieved + more, today });
        return rank[b] >= rank[a];
      }),
    );
  });
});
