// In-process timings of the report services on a seeded large database
// (`BENCH_DB=<file> npx tsx scripts/bench/reports-cold.ts`; make the file with
// `BENCH_DB=<file> npm run bench -- reports` first, and use a copy: this opens
// it read-write and migrates it). Each service is timed cold (nothing computed
// before in this process) and then warm, in wall-clock and CPU milliseconds:
// CPU time (process.cpuUsage) says what the work costs even when other
// processes load the machine. No build or HTTP: the pages' own work only.
import { createDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { annualReport } from '~/modules/reports/annual-report.server';
import { countReturnsWaiting, overdueReturns, periodBreakdowns } from '~/modules/reports/dashboard.server';
import { reportPeriod } from '~/modules/reports/period';
import { publicImpact } from '~/modules/reports/public-impact.server';

const file = process.env.BENCH_DB;
if (!file) throw new Error('Set BENCH_DB to a seeded database (a copy: it is migrated)');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const today = process.env.BENCH_TODAY ?? new Date().toISOString().slice(0, 10);

const { db } = createDb(file);
await migrateToLatest(db);

async function time(name: string, run: () => Promise<unknown>): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(`  ${name.padEnd(34)} ${wall.toFixed(1).padStart(8)} ms wall ${((used.user + used.system) / 1000).toFixed(1).padStart(8)} ms CPU`);
}

const steps: Array<[string, () => Promise<unknown>]> = [
  ['breakdowns 2026/27 (this year)', () => periodBreakdowns(db, reportPeriod(2026))],
  ['breakdowns 2025/26', () => periodBreakdowns(db, reportPeriod(2025))],
  ['breakdowns Q2 2024/25', () => periodBreakdowns(db, reportPeriod(2024, 2))],
  ['returns waiting', () => countReturnsWaiting(db)],
  [`overdue returns (${today})`, () => overdueReturns(db, today)],
  ['annual report 2024/25', () => annualReport(db, 2024)],
  ['public impact 2023/24', () => publicImpact(db, 2023)],
];
for (let round = 1; round <= ROUNDS; round += 1) {
  console.log(round === 1 ? 'Round 1 (cold: first computation in this process)' : `Round ${round}`);
  for (const [name, run] of steps) await time(name, run);
}
await db.destroy();
