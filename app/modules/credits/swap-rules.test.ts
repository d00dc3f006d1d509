import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDIT_POLICY } from './policy';
import { evaluateSwap, remainingMilli, shareCapMilli, type SwapFacts } from './swap-rules';

const facts = (patch: Partial<SwapFacts> = {}): SwapFacts => ({
  policy: DEFAULT_CREDIT_POLICY,
  from: { id: 'a', measureId: 'm', targetMilli: 10_000, deliveredMilli: 2_000, substitutedMilli: 1_000, proxyValuePence: 100_000, unit: 'FTE', theme: 'Jobs' },
  pendingMilli: 0,
  balancePence: 1_000_000,
  pendingCreditsPence: 0,
  measures: [
    { id: 'jobs2', theme: 'Jobs', unit: 'weeks', proxyValuePence: 25_000, active: true },
    { id: 'green', theme: 'Environment', unit: 'tonnes', proxyValuePence: 10_000, active: true },
    { id: 'old', theme: 'Jobs', unit: 'weeks', proxyValuePence: 25_000, active: false },
  ],
  commitments: [{ id: 'a', measureId: 'm', proxyValuePence: 100_000 }, { id: 'b', measureId: 'jobs2', proxyValuePence: 30_000 }],
  ...patch,
});

describe('swap rules', () => {
  it('remaining and the share cap', () => {
    expect(remainingMilli({ targetMilli: 10_000, deliveredMilli: 2_000, substitutedMilli: 1_000 })).toBe(7_000);
    expect(remainingMilli({ targetMilli: 1_000, deliveredMilli: 2_000, substitutedMilli: 0 })).toBe(0);
    expect(shareCapMilli(10_000, 50)).toBe(5_000);
    expect(shareCapMilli(1_001, 50)).toBe(500);
    expect(shareCapMilli(10_000, 0)).toBe(0);
  });

  it('values both sides as typed, with nothing to complain about', () => {
    const e = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_500, toMeasureId: 'jobs2', toQuantityMilli: 6_000 });
    expect(e).toEqual({ valuePence: 150_000, toValuePence: 150_000, toProxyValuePence: 25_000, problems: [] });
  });

  it('says nothing about fields not typed yet', () => {
    expect(evaluateSwap(facts(), { method: 'measure', quantityMilli: null })).toMatchObject({ valuePence: null, toValuePence: null, problems: [] });
  });

  it('names the rule each field breaks', () => {
    const share = evaluateSwap(facts(), { method: 'credits', quantityMilli: 4_001 });
    expect(share.problems).toEqual([{ field: 'quantity', message: expect.stringContaining('at most 50%') }]);
    const remaining = evaluateSwap(facts({ policy: { ...DEFAULT_CREDIT_POLICY, maxSubstitutedPercent: 100 } }), { method: 'credits', quantityMilli: 7_001 });
    expect(remaining.problems[0]!.message).toContain('no more than the 7 FTE still to deliver');
    const broke = evaluateSwap(facts({ balancePence: 50_000 }), { method: 'credits', quantityMilli: 1_000 });
    expect(broke.problems[0]!.message).toBe('This needs £1,000.00 of credits; the contract has £500.00 available');
    const theme = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'green', toQuantityMilli: 100_000 });
    expect(theme.problems.map((p) => p.field)).toEqual(['toMeasureId']);
    const retired = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'old', toQuantityMilli: 100_000 });
    expect(retired.problems.map((p) => p.field)).toEqual(['toMeasureId']);
    const same = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'jobs2', toCommitmentId: 'a', toQuantityMilli: 100_000 });
    expect(same.problems.map((p) => p.field)).toEqual(['toCommitmentId']);
    const short = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'jobs2', toQuantityMilli: 3_999 });
    expect(short.problems).toEqual([{ field: 'toQuantity', message: expect.stringContaining('Enter at least 4 weeks') }]);
  });

  it('values an enlarged commitment at its own proxy', () => {
    const e = evaluateSwap(facts(), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'jobs2', toCommitmentId: 'b', toQuantityMilli: 4_000 });
    expect(e).toMatchObject({ toValuePence: 120_000, toProxyValuePence: 30_000, problems: [] });
  });

  it('refuses more of the same measure, as a new commitment or another commitment of that measure', () => {
    const withOwn = facts({
      measures: [...facts().measures, { id: 'm', theme: 'Jobs', unit: 'FTE', proxyValuePence: 100_000, active: true }],
      commitments: [...facts().commitments, { id: 'c', measureId: 'm', proxyValuePence: 120_000 }],
    });
    const asNew = evaluateSwap(withOwn, { method: 'measure', quantityMilli: 1_000, toMeasureId: 'm', toQuantityMilli: 1_000 });
    expect(asNew.problems).toEqual([{ field: 'toMeasureId', message: expect.stringContaining('Select a different measure') }]);
    const asOther = evaluateSwap(withOwn, { method: 'measure', quantityMilli: 1_000, toMeasureId: 'm', toCommitmentId: 'c', toQuantityMilli: 1_000 });
    expect(asOther.problems.map((p) => p.field)).toEqual(['toMeasureId']);
  });

  it('cross theme when the policy allows it', () => {
    const e = evaluateSwap(facts({ policy: { ...DEFAULT_CREDIT_POLICY, allowCrossTheme: true } }), { method: 'measure', quantityMilli: 1_000, toMeasureId: 'green', toQuantityMilli: 10_000 });
    expect(e.problems).toEqual([]);
  });

  it('refuses zero, negative, fractional-beyond-precision and zero-value quantities', () => {
    for (const q of [0, -1, 0.5]) expect(evaluateSwap(facts(), { method: 'credits', quantityMilli: q }).problems[0]!.field).toBe('quantity');
    const cheap = facts({ from: { ...facts().from, proxyValuePence: 100 } });
    expect(evaluateSwap(cheap, { method: 'credits', quantityMilli: 1 }).problems[0]!.message).toContain('no value');
  });
});
