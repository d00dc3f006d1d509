import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './time';

describe('UK dates', () => {
  it('formats dates as 24 Nov 2026, with three-letter months', () => {
    expect(formatDate('2026-11-24')).toBe('24 Nov 2026');
    expect(formatDate('2026-09-03')).toBe('3 Sep 2026');
  });
  it('shows times in UK time across the clock change', () => {
    expect(formatDateTime('2026-07-01T12:00:00Z')).toBe('1 Jul 2026, 13:00');
    expect(formatDateTime('2026-12-01T12:00:00Z')).toBe('1 Dec 2026, 12:00');
  });
});
