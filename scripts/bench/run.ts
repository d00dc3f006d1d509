// `npm run bench` runs every scripts/bench/*.bench.ts, one after another, each
// in its own process; `npm run bench -- wishlist` runs those whose name
// contains "wishlist". Benchmarks print figures; they are not tests. Most need
// the build (`npm run build`; wrap it in `flock /tmp/build.lock` on a shared machine).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(process.cwd(), 'scripts/bench');
const filters = process.argv.slice(2).map((a) => a.toLowerCase()).filter((a) => a !== '--');
const all = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = all.filter((f) => filters.length === 0 || filters.some((name) => f.toLowerCase().includes(name)));

if (chosen.length === 0) {
  console.error(filters.length ? `No benchmark matches ${filters.join(', ')}. There are: ${all.join(', ') || 'none'}` : 'No scripts/bench/*.bench.ts files');
  process.exit(1);
}

let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
