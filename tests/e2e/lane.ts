// One lane of `npm run test:e2e`, started by run.ts as a child process: its own
// temporary demo database and data folder, its own portal (scripts/demo.ts, as
// `npm run demo` starts it), its own Chromium; runs the journeys it was given, one
// after another, and reports each to the parent over IPC (protocol.ts).
// Screenshots, HTML and the server log go to test-results/e2e/lane-N/.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { closeDb, getDb } from '#db/client';
import { E2E_DIR, ROOT, laneResults, type LaneAssignment, type LaneMessage } from './protocol';
import { assertEveryPageChecked, trackNavigations, type Journey, type JourneyContext } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const assignment = JSON.parse(process.argv[2] ?? '{}') as LaneAssignment;
const RESULTS = laneResults(assignment.lane);

function send(message: LaneMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The demo server (scripts/demo.ts: migrate, seed, serve the build) in its own process. */
async function startPortal(tmp: string, databasePath: string, port: number, logFile: string): Promise<{ child: ChildProcess; baseURL: string }> {
  const baseURL = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DEMO_MODE: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_ORIGIN: baseURL,
      DATABASE_PATH: databasePath,
      // Uploaded evidence and photos stay in this lane's temporary folder.
      DATA_DIR: path.join(tmp, 'data'),
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  portal = child;
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The portal did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('is running at')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The portal exited (${code}) before it started:\n${output}`));
    });
  });
  return { child, baseURL };
}

async function loadJourneys(): Promise<Array<Journey & { file: string }>> {
  const selected: Array<Journey & { file: string }> = [];
  for (const { file, indices } of assignment.files) {
    const mod = (await import(pathToFileURL(path.join(E2E_DIR, file)).href)) as { journeys?: Journey[] };
    for (const index of indices) {
      const journey = mod.journeys?.[index];
      if (!journey) throw new Error(`${file} has no journey number ${index + 1}`);
      selected.push({ ...journey, file });
    }
  }
  return selected;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]);
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

async function runJourney(browser: Browser, baseURL: string, journey: Journey & { file: string }, logs: string[]): Promise<{ ok: boolean; error?: string }> {
  // Each journey starts with no rate-limit history (sign-in attempts and the like).
  await getDb().deleteFrom('rate_limit').execute();
  const context = await browser.newContext({ baseURL });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  trackNavigations(page);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A 4xx answer (a form with errors, a page not found) is expected; the browser still logs it.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) pageErrors.push(message.text());
  });
  const ctx: JourneyContext = { page, context, browser, baseURL, log: (message) => logs.push(message) };
  try {
    await withTimeout(journey.run(ctx), assignment.timeoutMs, `"${journey.name}"`);
    assertEveryPageChecked(page);
    if (pageErrors.length) throw new Error(`The browser reported errors (hydration, scripts or CSP):\n${pageErrors.join('\n')}`);
    return { ok: true };
  } catch (error) {
    const base = path.join(RESULTS, `${slug(journey.file.replace('.journey.ts', ''))}--${slug(journey.name)}`);
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
    await page.content().then((html) => fs.writeFileSync(`${base}.html`, html)).catch(() => {});
    const where = page.url();
    return { ok: false, error: `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n(page: ${where}; screenshot: ${path.relative(ROOT, base)}.png)` };
  } finally {
    await context.close();
  }
}

let portal: ChildProcess | undefined;
let browser: Browser | undefined;
let tmp: string | undefined;
let cleaning: Promise<void> | undefined;

/** Closes Chromium, stops the portal and removes the temporary folder (once, whoever asks first). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    const child = portal;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await withTimeout(exited, 15_000, 'Stopping the portal').catch(() => child.kill('SIGKILL'));
    }
    closeDb();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

// Stopped by the parent (or Ctrl+C), or the parent went away: leave nothing running.
let stopCode: number | undefined;
const stop = (code: number) => {
  stopCode ??= code;
  void cleanUp().finally(() => process.exit(stopCode));
};
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));
process.on('disconnect', () => stop(1));
// A crash (an uncaught error, process.exit in a journey): leave no portal or folder behind
// (Playwright closes Chromium itself). After cleanUp() this finds nothing to do.
process.on('exit', () => {
  if (portal && portal.exitCode === null && portal.signalCode === null) portal.kill('SIGKILL');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function main(): Promise<void> {
  const started = Date.now();
  fs.mkdirSync(RESULTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), `svp-e2e-lane-${assignment.lane}-`));
  const databasePath = path.join(tmp, 'demo.sqlite');
  // This process reads and writes the lane's database too (support.ts: createUser, latestEmail).
  process.env.DATABASE_PATH = databasePath;
  const journeys = await loadJourneys();

  try {
    const [started_, launched] = await Promise.all([
      startPortal(tmp, databasePath, await freePort(), path.join(RESULTS, 'server.log')),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: !process.env.E2E_HEADED,
        slowMo: Number(process.env.E2E_SLOWMO ?? 0),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'].filter((a) => a !== '--headless' || !process.env.E2E_HEADED),
      }),
    ]);
    browser = launched;
    await send({ type: 'ready', baseURL: started_.baseURL, chromium: launched.version(), ms: Date.now() - started, portalPid: started_.child.pid, tmp });

    for (const journey of journeys) {
      await send({ type: 'start', file: journey.file, name: journey.name });
      const from = Date.now();
      const logs: string[] = [];
      const { ok, error } = await runJourney(launched, started_.baseURL, journey, logs);
      if (cleaning) return; // stopped meanwhile: the journey failed only because Chromium was closed
      await send({ type: 'result', file: journey.file, name: journey.name, ok, ms: Date.now() - from, logs, error });
    }
  } finally {
    await cleanUp();
  }
  await send({ type: 'done' });
}

main().then(
  () => process.exit(stopCode ?? 0),
  async (error: unknown) => {
    await cleanUp();
    await send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(stopCode ?? 1);
  },
);
