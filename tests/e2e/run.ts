// `npm run test:e2e [-- name-filter]`: the browser journeys (tests/e2e/*.journey.ts)
// against the built portal, in Debian's Chromium, in parallel lanes (E2E_LANES,
// default 2; 1 on a one-core machine). Each lane is a child process (lane.ts) with
// its own fresh demo database, portal and Chromium; this process shares whole
// journey files between the lanes (plan.ts), prints each lane's results as they
// come, prefixed "[lane N]", and ends with one summary. Conventions: support.ts.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { estimator, laneCount, laneEstimateMs, splitIntoLanes, type PlannedFile, type Timings } from './plan';
import { E2E_DIR, RESULTS, ROOT, SLOW_JOURNEY_MS, journeyTimeoutMs, laneResults, seconds, type LaneAssignment, type LaneMessage } from './protocol';
import type { Journey } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const filter = process.argv.slice(2).join(' ').toLowerCase();

const started = Date.now();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const minutes = (ms: number) => (ms < 60_000 ? seconds(ms) : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`);

/** Every journey file and its journeys' names, matching the filter (by file or journey name). */
async function planFiles(timings: Timings): Promise<PlannedFile[]> {
  const estimate = estimator(timings);
  const files = fs.readdirSync(E2E_DIR).filter((f) => f.endsWith('.journey.ts')).sort();
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(E2E_DIR, file)).href)) as { journeys?: Journey[] };
    if (!Array.isArray(mod.journeys)) throw new Error(`${file} must export \`journeys: Journey[]\``);
    const indices = mod.journeys.flatMap((journey, index) => (!filter || `${file} ${journey.name}`.toLowerCase().includes(filter) ? [index] : []));
    if (indices.length === 0) continue;
    const names = indices.map((index) => mod.journeys![index]!.name);
    planned.push({ file, indices, names, estimateMs: names.reduce((sum, name) => sum + estimate(file, name), 0) });
  }
  return planned;
}

function readTimings(): Timings {
  try {
    return JSON.parse(fs.readFileSync(path.join(E2E_DIR, 'timings.json'), 'utf8')) as Timings;
  } catch {
    return {};
  }
}

interface Result {
  lane: number;
  file: string;
  name: string;
  ok: boolean;
  ms: number;
}

interface LaneRun {
  lane: number;
  expected: number;
  results: Result[];
  running?: string;
  readyMs?: number;
  leftovers?: { portalPid?: number; tmp: string };
  finishedMs?: number;
  /** Why the lane ended early, if it did. */
  crash?: string;
}

const children = new Set<ChildProcess>();

function runLane(lane: number, files: PlannedFile[], timeoutMs: number): Promise<LaneRun> {
  // A lane that reports nothing for this long is stopped (a journey has its own, shorter limit).
  const silenceMs = 2 * timeoutMs + 30_000;
  const prefix = `[lane ${lane}]`;
  const say = (text: string) => console.log(text.split('\n').map((line) => `${prefix} ${line}`).join('\n'));
  const run: LaneRun = { lane, expected: files.reduce((n, f) => n + f.indices.length, 0), results: [] };
  const assignment: LaneAssignment = { lane, timeoutMs, files: files.map(({ file, indices }) => ({ file, indices })) };
  const child = fork(path.join(E2E_DIR, 'lane.ts'), [JSON.stringify(assignment)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  // Anything the lane prints by itself (a crash, a warning) is shown, prefixed.
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (line) => say(line));

  let silence: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(silence);
    silence = setTimeout(() => {
      run.crash = `reported nothing for ${silenceMs / 1000} s${run.running ? ` during "${run.running}"` : ''}; stopped`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    }, silenceMs);
  };
  watch();

  child.on('message', (message: LaneMessage) => {
    watch();
    switch (message.type) {
      case 'ready':
        run.readyMs = message.ms;
        run.leftovers = { portalPid: message.portalPid, tmp: message.tmp };
        say(`Portal at ${message.baseURL}, Chromium ${message.chromium}; ready in ${seconds(message.ms)}. Running ${run.expected} journey${run.expected === 1 ? '' : 's'}.`);
        break;
      case 'start':
        run.running = `${message.file} › ${message.name}`;
        break;
      case 'result': {
        run.running = undefined;
        run.results.push({ lane, file: message.file, name: message.name, ok: message.ok, ms: message.ms });
        const lines = [`${message.ok ? '✓' : '✗'} ${message.file} › ${message.name} (${seconds(message.ms)})`, ...message.logs.map((l) => `    ${l}`)];
        if (message.error) lines.push(...message.error.split('\n').map((l) => `    ${l}`));
        say(lines.join('\n'));
        break;
      }
      case 'done':
        run.finishedMs = Date.now() - started;
        break;
      case 'fatal':
        run.crash = message.message;
        break;
    }
  });

  return new Promise((resolve) => {
    // 'close', not 'exit': by then every line and message the lane sent has arrived.
    child.once('close', (code, signal) => {
      clearTimeout(silence);
      children.delete(child);
      if (run.finishedMs === undefined || code !== 0) {
        run.crash ??= `stopped (${signal ?? `exit code ${code}`})${run.running ? ` during "${run.running}"` : ''}`;
        run.finishedMs ??= Date.now() - started;
        say(`stopped early: ${run.crash}`);
        // A lane killed outright (SIGKILL, out of memory) could not stop its portal or remove its folder.
        if (run.leftovers?.portalPid) {
          try {
            process.kill(run.leftovers.portalPid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        if (run.leftovers) fs.rmSync(run.leftovers.tmp, { recursive: true, force: true });
      }
      resolve(run);
    });
  });
}

function writeTimings(results: Result[]): void {
  const timings: Timings = {};
  for (const r of results) (timings[r.file] ??= {})[r.name] = Math.round(r.ms / 100) / 10;
  fs.writeFileSync(path.join(RESULTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, 'build/server/index.js'))) throw new Error('No build: run `npm run build` first (npm run test:e2e does).');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);

  const files = await planFiles(readTimings());
  if (files.length === 0) throw new Error(filter ? `No journey matches "${filter}"` : 'No journeys found in tests/e2e/*.journey.ts');
  const plan = splitIntoLanes(files, laneCount(process.env.E2E_LANES, os.availableParallelism(), files.length));
  const total = files.reduce((n, f) => n + f.indices.length, 0);

  fs.rmSync(RESULTS, { recursive: true, force: true });
  plan.forEach((_, i) => fs.mkdirSync(laneResults(i + 1), { recursive: true }));
  const timeoutMs = journeyTimeoutMs(plan.length);
  console.log(`${plural(total, 'journey')} in ${plural(plan.length, 'lane')} (E2E_LANES to change), each with its own portal, database and Chromium; a journey may take up to ${timeoutMs / 1000} s:`);
  plan.forEach((lane, i) =>
    console.log(`  lane ${i + 1}: ${plural(lane.reduce((n, f) => n + f.indices.length, 0), 'journey')}, about ${minutes(laneEstimateMs(lane))}: ${lane.map((f) => f.file.replace('.journey.ts', '')).join(', ')}`),
  );
  console.log('');

  const runs = await Promise.all(plan.map((lane, i) => runLane(i + 1, lane, timeoutMs)));
  const results = runs.flatMap((r) => r.results);
  writeTimings(results);

  const failed = results.filter((r) => !r.ok);
  const crashed = runs.filter((r) => r.crash);
  const notRun = runs.reduce((n, r) => n + (r.expected - r.results.length), 0);
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3);

  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed${notRun ? `, ${notRun} not run` : ''}, in ${minutes(Date.now() - started)}`);
  for (const r of runs) console.log(`  lane ${r.lane}: ${r.results.length} of ${r.expected} journeys in ${minutes(r.finishedMs ?? 0)}${r.readyMs !== undefined ? ` (ready in ${seconds(r.readyMs)})` : ''}${r.crash ? `; stopped early: ${r.crash.split('\n')[0]}` : ''}`);
  console.log(`Slowest (limit ${timeoutMs / 1000} s): ${slowest.map((r) => `${seconds(r.ms)} ${r.file} › ${r.name.slice(0, 60)}`).join('; ')}`);
  const slow = results.filter((r) => r.ms > SLOW_JOURNEY_MS);
  if (slow.length) console.log(`Slower than ${SLOW_JOURNEY_MS / 1000} s (split them, or find out why): ${slow.map((r) => `${r.file} › ${r.name} (${seconds(r.ms)})`).join('; ')}`);

  if (failed.length || crashed.length || notRun) {
    if (failed.length) console.log(`Failed:\n${failed.map((r) => `  [lane ${r.lane}] ${r.file} › ${r.name}`).join('\n')}`);
    for (const r of crashed) console.log(`Lane ${r.lane} stopped early:\n${r.crash!.split('\n').map((l) => `  ${l}`).join('\n')}`);
    console.log(`Screenshots, HTML and each lane's server log: ${plan.map((_, i) => path.relative(ROOT, laneResults(i + 1))).join(', ')}`);
    return 1;
  }
  return 0;
}

// Ctrl+C or a CI timeout: stop the lanes (each stops its portal and Chromium), then exit.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
    const exit = () => process.exit(code);
    if (children.size === 0) exit();
    setTimeout(exit, 20_000).unref();
    for (const child of children) child.once('close', () => children.size === 0 && exit());
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
