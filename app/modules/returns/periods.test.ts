import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, periodContaining, periodsBetween, returnDueDate } from './periods';

describe('reporting periods', () => {
  it('follows the financial year for quarters', () => {
    expect(periodContaining('quarterly', '2026-04-01')).toEqual({ start: '2026-04-01', end: '2026-06-30', label: 'Apr to Jun 2026' });
    expect(periodContaining('quarterly', '2026-11-25')).toEqual({ start: '2026-10-01', end: '2026-12-31', label: 'Oct to Dec 2026' });
    expect(periodContaining('quarterly', '2027-02-28')).toEqual({ start: '2027-01-01', end: '2027-03-31', label: 'Jan to Mar 2027' });
  });

  it('handles months, half-years and years, including leap years', () => {
    expect(periodContaining('monthly', '2028-02-10')).toEqual({ start: '2028-02-01', end: '2028-02-29', label: 'Feb 2028' });
    expect(periodContaining('half-yearly', '2027-01-15')).toEqual({ start: '2026-10-01', end: '2027-03-31', label: 'Oct 2026 to Mar 2027' });
    expect(periodContaining('annual', '2026-03-31')).toEqual({ start: '2025-04-01', end: '2026-03-31', label: 'Apr 2025 to Mar 2026' });
  });

  it('lists every overlapping period in order', () => {
    expect(periodsBetween('quarterly', '2026-05-15', '2026-11-25').map((p) => p.start)).toEqual(['2026-04-01', '2026-07-01', '2026-10-01']);
    expect(periodsBetween('quarterly', '2026-05-15', '2026-01-01')).toEqual([]);
  });

  it('makes a return due two weeks after its period ends', () => {
    expect(returnDueDate({ end: '2026-12-31' })).toBe('2027-01-14');
  });

  it('always gives a period that contains the date, and periods that tile without gaps', () => {
    const day = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(fc.constantFrom('monthly', 'quarterly', 'half-yearly', 'annual' as const), day, day, (kind, a, b) => {
        const p = periodContaining(kind, a);
        if (!(p.start <= a && a <= p.end)) return false;
        const [from, to] = a <= b ? [a, b] : [b, a];
        const list = periodsBetween(kind, from, to);
        return list.every((q, i) => i === 0 || q.start === addDays(list[i - 1]!.end, 1)) && list[0]!.start <= from && list.at(-1)!.end >= to;
      }),
    );
  });
});
