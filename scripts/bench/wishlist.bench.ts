// `npm run bench -- wishlist`: /wishlist with 50,000 public items (plus 2,000
// hidden ones). Seeds a temporary database, starts the built portal in
// production mode on 127.0.0.1 (as `npm start` does), and measures searches,
// filters and sorts with autocannon at 10 connections. Prints p50/p95/p99
// latency and requests per second per scenario. Needs `npm run build` first.
// Options (environment): BENCH_DURATION seconds per scenario (default 10),
// BENCH_CONNECTIONS (default 10), BENCH_ITEMS (default 50000), BENCH_ONLY (scenarios whose name contains it),
// BENCH_LOG_LEVEL (the portal's log level, default info as in production).
// GET requests are not rate limited (server/app.ts limits writes only), so no override is needed.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { freePort, portalCpuMs, serverProcesses, startPortal } from './portal';
import { seedLargeWishlist } from './wishlist-data';

const ROOT = process.cwd();
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 50_000);
const TARGET_P95_MS = 50;
/** Words of the seeded descriptions (wishlist-data.ts), each in 37 to 50 % of the items. */
const COMMON_WORDS = (
  'community local residents families children young people volunteers support help weekly session group project centre hall ' +
  'kitchen garden youth older isolated lonely skills training employment jobs digital inclusion access learning confidence ' +
  'health wellbeing mental physical activity sport food poverty warm safe'
).split(' ');

interface Figures { p50: number; p95: number; p99: number; rps: number; requests: number; errors: number; cpuMsPerRequest: number }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A path for each request (a different page each time, so the result cache cannot answer), or one fixed path. */
type PathFor = (n: number) => string;

async function measure(url: string, seconds: number, pid?: number, pathFor?: PathFor): Promise<Figures> {
  const cpuBefore = portalCpuMs(pid);
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const requests = pathFor ? [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: pathFor((sent += 1)) }) }] : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, requests }, (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode !== 200) errors += 1;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    rps: latencies.length / seconds, requests: latencies.length, errors: errors + result.errors + result.timeouts,
    cpuMsPerRequest: (portalCpuMs(pid) - cpuBefore) / Math.max(1, latencies.length),
  };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'build/server/index.js'))) throw new Error('No build: run `npm run build` first.');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-bench-wishlist-'));
  // BENCH_DB keeps the seeded database at that path and reuses it next time (seeding takes a while).
  const databasePath = process.env.BENCH_DB ?? path.join(tmp, 'bench.sqlite');
  const reuse = Boolean(process.env.BENCH_DB) && fs.existsSync(databasePath);
  let portal: ChildProcess | undefined;
  try {
    const started = Date.now();
    const { db, sqlite } = createDb(databasePath);
    await migrateToLatest(db);
    const seeded = reuse
      ? { wardIds: (sqlite.prepare(`SELECT id FROM ward WHERE name LIKE 'Bench ward %' ORDER BY name`).all() as Array<{ id: string }>).map((w) => w.id) }
      : seedLargeWishlist(sqlite, { items: ITEMS });
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const itemId = (sqlite.prepare(`SELECT id FROM wishlist_item WHERE status = 'published' ORDER BY published_at DESC LIMIT 1`).get() as { id: string }).id;
    await db.destroy();
    console.log(reuse ? `Reusing ${databasePath}` : `Seeded ${ITEMS.toLocaleString('en-GB')} public items (and 2,000 hidden) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const port = await freePort();
    portal = await startPortal(databasePath, port, path.join(tmp, 'server.log'), 'info');
    const base = `http://127.0.0.1:${port}`;
    const [ward] = seeded.wardIds;
    // Scenarios with a path function ask for a different page on every request: the cost of
    // the queries themselves, which the result cache (decision 0016) otherwise answers from memory.
    const pages = (path: string, last: number): PathFor => (n) => `${path}${path.includes('?') ? '&' : '?'}page=${1 + ((n * 7919) % last)}`;
    // "cold" scenarios ask for a different search on every request (a word of the seeded
    // descriptions with a ward, or two such words; 800 searches, 1,600 pairs), so neither the
    // page cache nor the searches' ordered lists answer: each request ranks a new search.
    const word = (n: number) => COMMON_WORDS[n % COMMON_WORDS.length]!;
    const wordAndWard: PathFor = (n) => `/wishlist?q=${word(n)}&ward=${seeded.wardIds[Math.floor(n / COMMON_WORDS.length) % seeded.wardIds.length]}`;
    const twoWords: PathFor = (n) => `/wishlist?q=${word(n)}+${word(Math.floor(n / COMMON_WORDS.length))}`;
    const scenarios: Array<[string, string, PathFor?]> = [
      ['baseline: /accessibility (static page)', '/accessibility'],
      ['browse, newest first', '/wishlist'],
      ['browse, page 50', '/wishlist?page=50'],
      ['browse, page 2,000 (deep)', '/wishlist?page=2000'],
      ['filter: ward', `/wishlist?ward=${ward}`],
      ['filter: category + theme', '/wishlist?category=goods&theme=Skills'],
      ['filter: ward + category + theme + status', `/wishlist?ward=${ward}&category=space&theme=Jobs&status=pledged`],
      ['sort: value, highest first', '/wishlist?sort=value-high'],
      ['sort: needed soonest, status pledged', '/wishlist?sort=needed-by&status=pledged'],
      ['search: "laptops" (~2% of items)', '/wishlist?q=laptops'],
      ['search: "minibus" + ward', `/wishlist?q=minibus&ward=${ward}`],
      ['search: "gardening tools"', '/wishlist?q=gardening+tools'],
      ['search: "laptops", sort by value', '/wishlist?q=laptops&sort=value-high'],
      ['search: hostile FTS syntax', `/wishlist?q=${encodeURIComponent('"NEAR(laptop* OR -^title:')}`],
      ['search: "community" (~50% of items)', '/wishlist?q=community'],
      ['uncached: browse, a different page each time', '/wishlist', pages('/wishlist', 2_500)],
      ['uncached: "laptops", a different page each time', '/wishlist?q=laptops', pages('/wishlist?q=laptops', 50)],
      ['uncached: "community", a different page each time', '/wishlist?q=community', pages('/wishlist?q=community', 1_250)],
      ['uncached: "community" + ward, different pages', `/wishlist?q=community&ward=${ward}`, pages(`/wishlist?q=community&ward=${ward}`, 56)],
      ['uncached: "community", newest first, different pages', '/wishlist?q=community&sort=newest', pages('/wishlist?q=community&sort=newest', 1_250)],
      ['cold: a common word + a ward, a new search each time', '/wishlist?q=community', wordAndWard],
      ['cold: two common words, a new search each time', '/wishlist?q=community', twoWords],
      ['item page', `/wishlist/${itemId}`],
      ['open data: /wishlist.json (100 items)', '/wishlist.json'],
    ];

    const only = process.env.BENCH_ONLY?.toLowerCase();
    if (only) scenarios.splice(0, scenarios.length, ...scenarios.filter(([name]) => name.toLowerCase().includes(only)));
    const check = await fetch(`${base}/wishlist?q=laptops`);
    if (check.status !== 200) throw new Error(`/wishlist answered ${check.status}`);
    // Warm-up, so that every server process has compiled the pages' code (JIT) and the disk pages are cached.
    await measure(`${base}/wishlist`, 3);
    await measure(`${base}/wishlist?q=gardening&sort=value`, 2);

    console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`Date: ${new Date().toISOString()}; ${serverProcesses()} server processes (as \`npm start\` runs here); ${CONNECTIONS} connections, ${DURATION} s per scenario; target p95 < ${TARGET_P95_MS} ms\n`);
    console.log('cpu ms/req: CPU time the portal\'s processes used per request (from /proc), a figure that other load on the machine changes much less than latency.\n');
    const header = `${'scenario'.padEnd(44)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)} ${'errors'.padStart(6)} ${'cpu ms/req'.padStart(10)}  target`;
    console.log(header);
    console.log('-'.repeat(header.length));
    const rows: string[] = [];
    for (const [name, url, pathFor] of scenarios) {
      // Requests still running from the previous scenario would be counted against this one.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const f = await measure(`${base}${url}`, DURATION, portal.pid, pathFor);
      const line = `${name.padEnd(44)} ${f.p50.toFixed(0).padStart(7)} ${f.p95.toFixed(0).padStart(7)} ${f.p99.toFixed(0).padStart(7)} ${f.rps.toFixed(0).padStart(7)} ${String(f.errors).padStart(6)} ${f.cpuMsPerRequest.toFixed(1).padStart(10)}  ${f.p95 < TARGET_P95_MS ? 'met' : 'MISSED'}`;
      console.log(line);
      rows.push(`| ${name} | ${f.p50.toFixed(0)} | ${f.p95.toFixed(0)} | ${f.p99.toFixed(0)} | ${f.rps.toFixed(0)} | ${f.errors} | ${f.cpuMsPerRequest.toFixed(1)} |`);
    }
    console.log('\nMarkdown (for docs/performance.md):\n');
    console.log('| scenario | p50 ms | p95 ms | p99 ms | req/s | errors | cpu ms/req |\n|---|---:|---:|---:|---:|---:|---:|');
    console.log(rows.join('\n'));
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
