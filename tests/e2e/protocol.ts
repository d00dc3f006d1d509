// What run.ts (the parent) and lane.ts (one lane, a child process) share: where
// results go, the time limit of a journey, and the messages a lane sends over IPC.
import path from 'node:path';

export const ROOT = process.cwd();
export const E2E_DIR = path.join(ROOT, 'tests/e2e');
export const RESULTS = path.join(ROOT, 'test-results/e2e');
export const laneResults = (lane: number) => path.join(RESULTS, `lane-${lane}`);

/**
 * A journey that takes longer fails (support.ts asks for under ~30 s): 60 s in one
 * lane, 90 s when lanes run at once. Two lanes on two cores make each journey about
 * 1.3 to 1.5 times slower (each lane's Chromium and portal share the cores with the
 * other's) while the whole run takes much less; the limit is there to stop a journey
 * that hangs, not to time one. The summary names every journey slower than
 * SLOW_JOURNEY_MS, whatever the lanes, so slowness is not hidden by the raise.
 */
export const journeyTimeoutMs = (lanes: number) => (lanes > 1 ? 90_000 : 60_000);
export const SLOW_JOURNEY_MS = 45_000;

/** What the parent gives a lane (as its one argument, JSON). */
export interface LaneAssignment {
  lane: number;
  timeoutMs: number;
  /** Whole journey files, in the order to run them; `indices` pick journeys from each file's `journeys`. */
  files: Array<{ file: string; indices: number[] }>;
}

export type LaneMessage =
  /** The portal's process and the temporary folder, so the parent can clean up after a lane that was killed. */
  | { type: 'ready'; baseURL: string; chromium: string; ms: number; portalPid?: number; tmp: string }
  | { type: 'start'; file: string; name: string }
  | {
      type: 'result';
      file: string;
      name: string;
      ok: boolean;
      ms: number;
      /** Lines the journey logged (ctx.log). */
      logs: string[];
      /** The error, with the page it was on and where its screenshot is. */
      error?: string;
    }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
