// How `npm run test:e2e` shares the journeys between lanes (pure: no server, no browser).
// A journey file stays whole in one lane, in file order, so journeys in a file may
// build on each other ("1/3, 2/3, 3/3"). Files are shared by their expected time,
// the longest first to the least loaded lane (LPT), using the per-journey times in
// tests/e2e/timings.json (a journey not recorded there counts as the recorded mean).
// Each lane then runs its files in alphabetical order, as one lane would.

export interface PlannedFile {
  file: string;
  /** Positions in the file's `journeys` array (after the name filter), in order. */
  indices: number[];
  names: string[];
  /** Expected milliseconds for these journeys. */
  estimateMs: number;
}

/** Recorded seconds per journey: { "claims.journey.ts": { "journey name": 8.1 } }. */
export type Timings = Record<string, Record<string, number>>;

/** Default when nothing is recorded at all. */
const FALLBACK_MS = 8_000;

export function estimator(timings: Timings): (file: string, name: string) => number {
  const all = Object.values(timings).flatMap((perJourney) => Object.values(perJourney)).filter((s) => Number.isFinite(s) && s > 0);
  const meanMs = all.length ? (all.reduce((a, b) => a + b, 0) / all.length) * 1000 : FALLBACK_MS;
  return (file, name) => {
    const seconds = timings[file]?.[name];
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : meanMs;
  };
}

/**
 * The number of lanes: E2E_LANES if set (a whole number from 1), otherwise 2, or 1
 * on a machine with one core. Never more lanes than files to run.
 */
export function laneCount(setting: string | undefined, cores: number, files: number): number {
  let wanted: number;
  if (setting === undefined || setting.trim() === '') wanted = Math.max(1, Math.min(2, cores));
  else {
    wanted = Number(setting);
    if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`E2E_LANES must be a whole number from 1, not "${setting}"`);
  }
  return Math.max(1, Math.min(wanted, files));
}

/** The order `readdirSync(...).sort()` gives, so lanes keep the files' usual order. */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Splits whole files between `lanes` lanes; every lane gets at least one file (if there are enough). */
export function splitIntoLanes(files: PlannedFile[], lanes: number): PlannedFile[][] {
  const buckets = Array.from({ length: Math.max(1, lanes) }, () => ({ total: 0, files: [] as PlannedFile[] }));
  const longestFirst = [...files].sort((a, b) => b.estimateMs - a.estimateMs || byName(a.file, b.file));
  for (const file of longestFirst) {
    const lightest = buckets.reduce((best, bucket) => (bucket.total < best.total ? bucket : best));
    lightest.files.push(file);
    lightest.total += file.estimateMs;
  }
  return buckets.filter((b) => b.files.length > 0).map((b) => b.files.sort((x, y) => byName(x.file, y.file)));
}

export const laneEstimateMs = (lane: PlannedFile[]) => lane.reduce((sum, f) => sum + f.estimateMs, 0);
