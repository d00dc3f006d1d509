import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '~/modules/returns/periods';
import { choosePeriod, financialYearLabel, financialYearOf, parseYear, periodQuery, quarterOf, reportPeriod, yearOptions } from './period';

describe('report periods', () => {
  it('puts dates in the financial year that starts on 1 April', () => {
    expect(financialYearOf('2027-03-31')).toBe(2026);
    expect(financialYearOf('2027-04-01')).toBe(2027);
    expect(financialYearOf('2026-12-31')).toBe(2026);
    expect(financialYearLabel(2026)).toBe('2026/27');
    expect(financialYearLabel(2099)).toBe('2099/00');
  });

  it('gives years and quarters their first and last days', () => {
    expect(reportPeriod(2026)).toMatchObject({ start: '2026-04-01', end: '2027-03-31', label: '2026/27' });
    expect(reportPeriod(2026, 1)).toMatchObject({ start: '2026-04-01', end: '2026-06-30', label: 'Q1 2026/27 (Apr to Jun 2026)' });
    expect(reportPeriod(2026, 2)).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    expect(reportPeriod(2026, 3)).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
    expect(reportPeriod(2026, 4)).toMatchObject({ start: '2027-01-01', end: '2027-03-31', label: 'Q4 2026/27 (Jan to Mar 2027)' });
    expect(reportPeriod(2027, 4).end).toBe('2028-03-31');
  });

  it('tiles each year with its four quarters, no gap and no overlap, and every day is in the quarter quarterOf names', () => {
    fc.assert(fc.property(fc.integer({ min: 2015, max: 2060 }), fc.integer({ min: 0, max: 365 }), (year, offset) => {
      const quarters = ([1, 2, 3, 4] as const).map((q) => reportPeriod(year, q));
      expect(quarters[0]!.start).toBe(reportPeriod(year).start);
      expect(quarters[3]!.end).toBe(reportPeriod(year).end);
      for (let i = 1; i < 4; i += 1) expect(addDays(quarters[i - 1]!.end, 1)).toBe(quarters[i]!.start);
      const day = addDays(`${year}-04-01`, offset);
      if (day > reportPeriod(year).end) return;
      const q = quarterOf(day);
      expect(financialYearOf(day)).toBe(year);
      expect(day >= quarters[q - 1]!.start && day <= quarters[q - 1]!.end).toBe(true);
    }));
  });

  it('chooses the current financial year by default and falls back (flagged) on nonsense', () => {
    const today = '2026-11-25';
    expect(choosePeriod(new URLSearchParams(''), today)).toMatchObject({ corrected: false, period: { year: 2026, quarter: null } });
    expect(choosePeriod(new URLSearchParams('year=2025&quarter=4'), today)).toMatchObject({ corrected: false, period: { start: '2026-01-01', end: '2026-03-31' } });
    expect(choosePeriod(new URLSearchParams('year=2025&quarter='), today)).toMatchObject({ corrected: false, period: { year: 2025, quarter: null } });
    expect(choosePeriod(new URLSearchParams('year=2031'), today)).toMatchObject({ corrected: true, period: { year: 2026 } });
    expect(choosePeriod(new URLSearchParams('year=abc&quarter=5'), today)).toMatchObject({ corrected: true, period: { year: 2026, quarter: null } });
    expect(choosePeriod(new URLSearchParams('year=1999'), today).corrected).toBe(true);
  });

  it('reads a year from a route parameter and offers years newest first', () => {
    const today = '2026-11-25';
    expect(parseYear('2025', today)).toBe(2025);
    expect(parseYear('2025-26', today)).toBe(2025);
    expect(parseYear('2025-27', today)).toBeNull();
    expect(parseYear('2027', today)).toBeNull();
    expect(parseYear('20x5', today)).toBeNull();
    expect(yearOptions(today, 2024)).toEqual([2026, 2025, 2024]);
    expect(periodQuery(reportPeriod(2026, 3))).toBe('year=2026&quarter=3');
    expect(periodQuery(reportPeriod(2026))).toBe('year=2026');
  });
});
