// How `npm run test:e2e` shares journey files between lanes (tests/e2e/plan.ts).
// Here rather than in tests/e2e/, which Vitest leaves to the browser runner.
import { describe, expect, it } from 'vitest';
import { estimator, laneCount, laneEstimateMs, splitIntoLanes, type PlannedFile } from './e2e/plan';

const file = (name: string, estimateMs: number, journeys = 1): PlannedFile => ({
  file: `${name}.journey.ts`,
  indices: Array.from({ length: journeys }, (_, i) => i),
  names: Array.from({ length: journeys }, (_, i) => `${name} ${i + 1}`),
  estimateMs,
});

describe('laneCount', () => {
  it('is 2 by default, 1 on a one-core machine, and never more than the files', () => {
    expect(laneCount(undefined, 2, 17)).toBe(2);
    expect(laneCount('', 8, 17)).toBe(2);
    expect(laneCount(undefined, 1, 17)).toBe(1);
    expect(laneCount('3', 2, 17)).toBe(3);
    expect(laneCount('4', 2, 1)).toBe(1);
    expect(laneCount('1', 2, 17)).toBe(1);
  });

  it('refuses anything but a whole number from 1', () => {
    for (const bad of ['0', '-1', '1.5', 'two']) expect(() => laneCount(bad, 2, 17)).toThrow(/E2E_LANES/);
  });
});

describe('splitIntoLanes', () => {
  const files = [file('a', 10), file('b', 70, 3), file('c', 30), file('d', 20), file('e', 40)];

  it('keeps every file whole, in exactly one lane, in name order within the lane', () => {
    const lanes = splitIntoLanes(files, 2);
    expect(lanes.flat().map((f) => f.file).sort()).toEqual(files.map((f) => f.file));
    for (const lane of lanes) expect(lane.map((f) => f.file)).toEqual([...lane.map((f) => f.file)].sort());
    expect(lanes.flat().find((f) => f.file === 'b.journey.ts')!.indices).toEqual([0, 1, 2]);
  });

  it('gives the longest files out first to the least loaded lane', () => {
    const lanes = splitIntoLanes(files, 2);
    // b 70 → 1; e 40 → 2; c 30 → 2 (70); d 20 → 1 (90); a 10 → 2 (80)
    expect(lanes.map((l) => l.map((f) => f.file[0]).join(''))).toEqual(['bd', 'ace']);
    expect(lanes.map(laneEstimateMs)).toEqual([90, 80]);
  });

  it('with one lane runs everything in the usual order; with more lanes than files leaves none empty', () => {
    expect(splitIntoLanes(files, 1).map((l) => l.map((f) => f.file[0]).join(''))).toEqual(['abcde']);
    expect(splitIntoLanes(files.slice(0, 2), 4)).toHaveLength(2);
  });
});

describe('estimator', () => {
  it('uses the recorded seconds, and the recorded mean for a journey not recorded', () => {
    const estimate = estimator({ 'a.journey.ts': { one: 10, two: 20 } });
    expect(estimate('a.journey.ts', 'one')).toBe(10_000);
    expect(estimate('a.journey.ts', 'three')).toBe(15_000);
    expect(estimate('new.journey.ts', 'one')).toBe(15_000);
    expect(estimator({})('x.journey.ts', 'y')).toBeGreaterThan(0);
  });
});
