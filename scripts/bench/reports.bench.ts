// `npm run bench -- reports`: the officer dashboard, the annual impact report,
// a breakdown CSV and the public impact page with the data of a large authority
// (2,000 contracts, 20,000 commitments, 200,000 returns, 1,000,000 ledger
// postings: reports-data.ts). Seeds a temporary database, starts the built
// portal in production mode on 127.0.0.1 (as `npm start` does), signs in as an
// officer (a session row made like createSession's), and measures each page
// with autocannon. Prints p50/p95/p99 latency and requests per second.
// Needs `npm run build` first. Options (environment): BENCH_DURATION seconds
// per scenario (default 10), BENCH_CONNECTIONS (default 10), BENCH_CONTRACTS
// (default 2000; the rest scales with it), BENCH_DB=<file> to keep the seeded
// database there and reuse it on the next run.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { freePort, startPortal } from './portal';
import { LARGE, seedLargeAuthority } from './reports-data';

const ROOT = process.cwd();
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? LARGE.contracts);
const TARGET_P95_MS = 300;
const COOKIE_NAME = '__Host-svp_session'; // APP_ORIGIN below is https

interface Figures { p50: number; p95: number; p99: number; rps: number; requests: number; errors: number }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(url: string, cookie: string, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie } }, (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode !== 200) errors += 1;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    rps: latencies.length / seconds, requests: latencies.length, errors: errors + result.errors + result.timeouts,
  };
}

async function prepareDatabase(databasePath: string): Promise<string> {
  const tokenFile = `${databasePath}.session`;
  if (fs.existsSync(databasePath) && fs.existsSync(tokenFile)) {
    console.log(`Reusing ${databasePath} (migrating it to the latest schema)`);
    const { db } = createDb(databasePath);
    await migrateToLatest(db);
    await db.destroy();
    return fs.readFileSync(tokenFile, 'utf8').trim();
  }
  const started = Date.now();
  const { db, sqlite } = createDb(databasePath);
  await migrateToLatest(db);
  const seeded = seedLargeAuthority(sqlite, { ...LARGE, contracts: CONTRACTS });
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
  await db.destroy();
  fs.writeFileSync(tokenFile, seeded.sessionToken);
  const c = seeded.counts;
  console.log(`Seeded ${c.contracts!.toLocaleString('en-GB')} contracts, ${c.commitments!.toLocaleString('en-GB')} commitments, ${c.returns!.toLocaleString('en-GB')} returns, `
    + `${c.transactions!.toLocaleString('en-GB')} ledger transactions (${c.postings!.toLocaleString('en-GB')} postings) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return seeded.sessionToken;
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'build/server/index.js'))) throw new Error('No build: run `npm run build` first.');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-bench-reports-'));
  const databasePath = process.env.BENCH_DB ? path.resolve(process.env.BENCH_DB) : path.join(tmp, 'bench.sqlite');
  let portal: ChildProcess | undefined;
  try {
    const token = await prepareDatabase(databasePath);
    const cookie = `${COOKIE_NAME}=${token}`;
    const port = await freePort();
    portal = await startPortal(databasePath, port, path.join(tmp, 'server.log'), 'warn');
    const base = `http://127.0.0.1:${port}`;
    const scenarios: Array<[string, string]> = [
      ['dashboard, this year (default)', '/officer/dashboard'],
      ['dashboard, 2025/26', '/officer/dashboard?year=2025'],
      ['dashboard, Q2 2024/25', '/officer/dashboard?year=2024&quarter=2'],
      ['dashboard, 2023/24', '/officer/dashboard?year=2023'],
      ['annual report 2025/26', '/officer/reports/annual/2025'],
      ['annual report 2024/25', '/officer/reports/annual/2024'],
      ['CSV: by contract, 2025/26', '/officer/dashboard.csv?breakdown=contract&year=2025'],
      ['public /impact, 2025/26', '/impact?year=2025'],
    ];
    // The first request of each page computes its figures (nothing cached yet): timed on its own.
    console.log('\nFirst request (figures computed, not cached):');
    const cold: string[] = [];
    for (const [name, url] of scenarios) {
      const started = performance.now();
      const check = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' });
      const body = await check.arrayBuffer();
      if (check.status !== 200) throw new Error(`${url} answered ${check.status}; see ${path.join(tmp, 'server.log')}`);
      const ms = performance.now() - started;
      console.log(`  ${name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${(body.byteLength / 1024).toFixed(0)} KB`);
      cold.push(`| ${name} | ${ms.toFixed(0)} | ${(body.byteLength / 1024).toFixed(0)} |`);
    }
    await measure(`${base}/officer/dashboard`, cookie, 2); // warm-up: JIT, page cache

    console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`Date: ${new Date().toISOString()}; ${CONNECTIONS} connections, ${DURATION} s per scenario; target p95 < ${TARGET_P95_MS} ms\n`);
    const header = `${'scenario'.padEnd(36)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)} ${'errors'.padStart(6)}  target`;
    console.log(header);
    console.log('-'.repeat(header.length));
    const rows: string[] = [];
    for (const [name, url] of scenarios) {
      const f = await measure(`${base}${url}`, cookie, DURATION);
      console.log(`${name.padEnd(36)} ${f.p50.toFixed(0).padStart(7)} ${f.p95.toFixed(0).padStart(7)} ${f.p99.toFixed(0).padStart(7)} ${f.rps.toFixed(1).padStart(7)} ${String(f.errors).padStart(6)}  ${f.p95 < TARGET_P95_MS ? 'met' : 'MISSED'}`);
      rows.push(`| ${name} | ${f.p50.toFixed(0)} | ${f.p95.toFixed(0)} | ${f.p99.toFixed(0)} | ${f.rps.toFixed(1)} | ${f.errors} |`);
    }
    console.log('\nMarkdown (for docs/performance.md):\n');
    console.log('| scenario | p50 ms | p95 ms | p99 ms | req/s | errors |\n|---|---:|---:|---:|---:|---:|');
    console.log(rows.join('\n'));
    console.log('\n| first request (computes the figures) | ms | KB |\n|---|---:|---:|');
    console.log(cold.join('\n'));
  } finally {
    if (portal && portal.exitCode === null) {
      const exited = new Promise((resolve) => portal!.once('exit', resolve));
      portal.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (portal.exitCode === null) portal.kill('SIGKILL');
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
