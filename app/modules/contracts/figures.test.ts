import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPence, formatQuantity, milliToInput, parsePounds, parseQuantity, penceToInput, valueOfQuantity } from './figures';

describe('figures', () => {
  it('formats money and quantities in UK style', () => {
    expect(formatPence(123456)).toBe('£1,234.56');
    expect(formatPence(0)).toBe('£0.00');
    expect(formatQuantity(1500, 'FTE')).toBe('1.5 FTE');
    expect(formatQuantity(1234567)).toBe('1,234.567');
  });

  it('parses what people type', () => {
    expect(parsePounds('£1,234.56')).toBe(123456);
    expect(parsePounds('1234.5')).toBe(123450);
    expect(parsePounds(' 12 ')).toBe(1200);
    expect(parseQuantity('1.5')).toBe(1500);
    expect(parseQuantity('2,000')).toBe(2_000_000);
    for (const bad of ['', '-5', '1.234', '1,23', 'abc', '1e5', '£', '=1+1']) expect(parsePounds(bad)).toBeNull();
    for (const bad of ['', '-1', '1.2345', 'one', 'NaN', '1e3']) expect(parseQuantity(bad)).toBeNull();
  });

  it('computes value exactly with half-up rounding', () => {
    expect(valueOfQuantity(1500, 2_000_000)).toBe(3_000_000); // 1.5 FTE at £20,000
    expect(valueOfQuantity(1, 1)).toBe(0);
    expect(valueOfQuantity(500, 1)).toBe(1);
    expect(valueOfQuantity(9_000_000_000, 9_000_000)).toBe(81_000_000_000_000); // beyond 2^53 in the intermediate product
  });

  it('round-trips stored figures through form inputs', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (pence) => parsePounds(penceToInput(pence)) === pence));
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (milli) => parseQuantity(milliToInput(milli)) === milli));
  });
});
