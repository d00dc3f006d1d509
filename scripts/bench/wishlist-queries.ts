// In-process timings of the public wishlist's search function (no HTTP, result cache off):
// what each query costs by itself. Runs on a COPY of a seeded benchmark database
// (`npm run bench -- wishlist` with BENCH_DB=<file> seeds one; never point this at a live file).
//   node --import tsx scripts/bench/wishlist-queries.ts /tmp/copy.sqlite [part of a scenario name]
// Prints, per scenario, the median and 95th percentile of ms per call over the runs
// (a different page on each call where the scenario says so), with every cache off
// ("cold": each call builds the search from nothing), and the median with only the
// result-page cache off ("list kept": a page of a search already ranked, as a
// running portal answers a different page of a search it was asked for before).
// CPU=1 reports the process's CPU ms per call instead of wall-clock ms (steadier on a busy machine).
// See docs/performance.md.
import { performance } from 'node:perf_hooks';
import { createDb } from '#db/client';
import { parseWishlistSearch } from '~/modules/wishlist/search.schema';
import { setSearchCacheEnabled } from '~/modules/wishlist/search-cache.server';
import { searchWishlist, wishlistFilterOptions } from '~/modules/wishlist/search.server';

const file = process.argv[2];
if (!file) throw new Error('usage: wishlist-queries.ts <copy of a seeded database> [scenario filter]');
const only = process.argv[3]?.toLowerCase();
const RUNS = Number(process.env.RUNS ?? 40);
const { db, sqlite } = createDb(file);
const wards = (sqlite.prepare(`SELECT id FROM ward WHERE name LIKE 'Bench ward %' ORDER BY name`).all() as Array<{ id: string }>).map((w) => w.id);
const ward = wards[0] ?? '';
/** Words of the seeded descriptions, each in 37 to 50 % of the items. */
const WORDS = ['community', 'local', 'residents', 'families', 'children', 'young', 'people', 'volunteers', 'support', 'help', 'weekly', 'session', 'group', 'project', 'centre', 'hall'];

/** A scenario: the query string (or one per run) and the pages it asks for (one, or a different one per run, spread over `last` pages). */
const scenarios: Array<[string, string | ((run: number) => string), number?]> = [
  ['browse, newest first', ''],
  ['browse, page 2,000', 'page=2000'],
  ['browse, a different page (1..2,500)', '', 2_500],
  ['filter: category + theme', 'category=goods&theme=Skills'],
  ['filter: ward, a different page', `ward=${ward}`, 115],
  ['search "laptops"', 'q=laptops'],
  ['search "laptops", a different page', 'q=laptops', 50],
  ['search "gardening tools"', 'q=gardening+tools'],
  ['search "community"', 'q=community'],
  ['search "community", page 100', 'q=community&page=100'],
  ['search "community", a different page (1..1,250)', 'q=community', 1_250],
  ['search "community" + ward', `q=community&ward=${ward}`],
  ['search "community" + ward, a different page (1..56)', `q=community&ward=${ward}`, 56],
  ['search "community", newest first', 'q=community&sort=newest'],
  ['search "community", value, a different page', 'q=community&sort=value-high', 1_250],
  ['search a common word + a ward, a new search each time', (n) => `q=${WORDS[n % WORDS.length]}&ward=${wards[Math.floor(n / WORDS.length) % wards.length]}`],
  ['search two common words, a new search each time', (n) => `q=${WORDS[n % WORDS.length]}+${WORDS[Math.floor(n / WORDS.length) % WORDS.length]}`],
  ['search "minibus" + ward', `q=minibus&ward=${ward}`],
  ['search "laptops", sort by value', 'q=laptops&sort=value-high'],
];

const CPU = process.env.CPU === '1';
const clock = (): number => {
  if (!CPU) return performance.now();
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeScenario(query: string | ((run: number) => string), last: number | undefined): Promise<{ times: number[]; total: number }> {
  const times: number[] = [];
  let total = 0;
  for (let run = -3; run < RUNS; run += 1) {
    const search = parseWishlistSearch(new URLSearchParams(typeof query === 'string' ? query : query(run + 3)));
    const page = last ? 1 + ((Math.abs(run) * 7919) % last) : search.page;
    const started = clock();
    const result = await searchWishlist(db, search, { offset: (page - 1) * 20, limit: 20 });
    if (run >= 0) times.push(clock() - started);
    total = result.total;
  }
  return { times: times.sort((a, b) => a - b), total };
}

async function main() {
  await wishlistFilterOptions(db);
  console.log(`${CPU ? 'CPU' : 'wall-clock'} ms per call, ${RUNS} runs per scenario\n`);
  console.log(`${'scenario'.padEnd(52)} ${'cold p50'.padStart(9)} ${'cold p95'.padStart(9)} ${'kept p50'.padStart(9)}  total`);
  for (const [name, query, last] of scenarios) {
    if (only && !name.toLowerCase().includes(only)) continue;
    setSearchCacheEnabled(false);
    const cold = await timeScenario(query, last);
    setSearchCacheEnabled(false, true);
    const kept = await timeScenario(query, last);
    const ms = (n: number) => n.toFixed(1).padStart(9);
    console.log(`${name.padEnd(52)} ${ms(percentile(cold.times, 50))} ${ms(percentile(cold.times, 95))} ${ms(percentile(kept.times, 50))}  ${cold.total}`);
  }
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
