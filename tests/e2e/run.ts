// `npm run test:e2e [-- name-filter]`: the browser journeys (tests/e2e/*.journey.ts)
// against the built portal, started as `npm run demo` starts it, on a fresh demo
// database in a temporary directory, in Debian's Chromium. Conventions: support.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { closeDb, getDb } from '#db/client';
import { assertEveryPageChecked, trackNavigations, type Journey, type JourneyContext } from './support';

const ROOT = process.cwd();
const E2E_DIR = path.join(ROOT, 'tests/e2e');
const RESULTS = path.join(ROOT, 'test-results/e2e');
const JOURNEY_TIMEOUT_MS = 60_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const filter = process.argv.slice(2).join(' ').toLowerCase();

const started = Date.now();
const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)}s`;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The demo server (scripts/demo.ts: migrate, seed, serve the build) in its own process. */
async function startPortal(databasePath: string, port: number, logFile: string): Promise<{ child: ChildProcess; baseURL: string }> {
  const baseURL = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', DEMO_MODE: 'true', PORT: String(port), HOST: '127.0.0.1', APP_ORIGIN: baseURL, DATABASE_PATH: databasePath, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const files = fs.readdirSync(E2E_DIR).filter((f) => f.endsWith('.journey.ts')).sort();
  const all: Array<Journey & { file: string }> = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(E2E_DIR, file)).href)) as { journeys?: Journey[] };
    if (!Array.isArray(mod.journeys)) throw new Error(`${file} must export \`journeys: Journey[]\``);
    for (const journey of mod.journeys) all.push({ ...journey, file });
  }
  return all.filter((j) => !filter || `${j.file} ${j.name}`.toLowerCase().includes(filter));
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

async function runJourney(browser: Browser, baseURL: string, journey: Journey & { file: string }): Promise<{ ok: boolean; error?: unknown }> {
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
  const ctx: JourneyContext = { page, context, browser, baseURL, log: (message) => console.log(`      ${message}`) };
  try {
    await withTimeout(journey.run(ctx), JOURNEY_TIMEOUT_MS, `"${journey.name}"`);
    assertEveryPageChecked(page);
    if (pageErrors.length) throw new Error(`The browser reported errors (hydration, scripts or CSP):\n${pageErrors.join('\n')}`);
    return { ok: true };
  } catch (error) {
    const base = path.join(RESULTS, `${slug(journey.file.replace('.journey.ts', ''))}--${slug(journey.name)}`);
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
    await page.content().then((html) => fs.writeFileSync(`${base}.html`, html)).catch(() => {});
    const where = page.url();
    return { ok: false, error: new Error(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n      (page: ${where}; screenshot: ${path.relative(ROOT, base)}.png)`) };
  } finally {
    await context.close();
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, 'build/server/index.js'))) throw new Error('No build: run `npm run build` first (npm run test:e2e does).');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-e2e-'));
  const databasePath = path.join(tmp, 'demo.sqlite');
  // This process reads and writes the same database (support.ts: createUser, latestEmail).
  process.env.DATABASE_PATH = databasePath;

  const journeys = await loadJourneys().catch((error: unknown) => {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  });
  if (journeys.length === 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(filter ? `No journey matches "${filter}"` : 'No journeys found in tests/e2e/*.journey.ts');
  }

  let portal: { child: ChildProcess; baseURL: string } | undefined;
  let browser: Browser | undefined;
  const failures: string[] = [];
  try {
    const [started_, launched] = await Promise.all([
      startPortal(databasePath, await freePort(), path.join(RESULTS, 'server.log')),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: !process.env.E2E_HEADED,
        slowMo: Number(process.env.E2E_SLOWMO ?? 0),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'].filter((a) => a !== '--headless' || !process.env.E2E_HEADED),
      }),
    ]);
    portal = started_;
    browser = launched;
    console.log(`Portal at ${portal.baseURL}, Chromium ${browser.version()}; ready in ${seconds(started)}. Running ${journeys.length} journeys.\n`);

    let currentFile = '';
    for (const journey of journeys) {
      if (journey.file !== currentFile) {
        currentFile = journey.file;
        console.log(`  ${journey.file}`);
      }
      const from = Date.now();
      const { ok, error } = await runJourney(browser, portal.baseURL, journey);
      console.log(`    ${ok ? '✓' : '✗'} ${journey.name} (${seconds(from)})`);
      if (!ok) {
        const message = error instanceof Error ? error.message : String(error);
        console.log(message.split('\n').map((l) => `      ${l}`).join('\n'));
        failures.push(`${journey.file} › ${journey.name}`);
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    if (portal) {
      const exited = new Promise((resolve) => portal!.child.once('exit', resolve));
      portal.child.kill('SIGTERM');
      await withTimeout(exited, 15_000, 'Stopping the portal').catch(() => portal!.child.kill('SIGKILL'));
    }
    closeDb();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`\n${journeys.length - failures.length} passed, ${failures.length} failed, in ${seconds(started)}`);
  if (failures.length) {
    console.log(`Failed:\n${failures.map((f) => `  ${f}`).join('\n')}\nScreenshots, HTML and the server log: ${path.relative(ROOT, RESULTS)}/`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
