import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';

// Shared by the benchmarks: a free port, and the built portal started as
// `npm start` starts it (production), on 127.0.0.1, on a given database.

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the built portal and waits until /healthz answers (60 s at most). */
export async function startPortal(databasePath: string, port: number, logFile: string, logLevel: string): Promise<ChildProcess> {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env, NODE_ENV: 'production', DEMO_MODE: 'false', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath,
      APP_ORIGIN: 'https://bench.invalid', SECRET_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? logLevel,
    },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited (${child.exitCode}); see ${logFile}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) return child;
    if (Date.now() > deadline) throw new Error(`The portal did not start within 60 s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** CPU time (user + system) in ms used by the portal: its process and every server process it started (server/cluster.ts). Linux /proc; NaN elsewhere. */
export function portalCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stats = new Map<number, { ppid: number; ms: number }>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
        // utime + stime in clock ticks of 1/100 s; fields[1] is the parent's pid
        stats.set(Number(entry), { ppid: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 });
      } catch {
        // the process ended while we looked
      }
    }
    const inTree = (p: number): boolean => p === pid || (stats.has(p) && p > 1 && inTree(stats.get(p)!.ppid));
    let total = 0;
    for (const [p, { ms }] of stats) if (inTree(p)) total += ms;
    return stats.has(pid) ? total : NaN;
  } catch {
    return NaN;
  }
}

/** How many server processes `npm start` runs here (WEB_CONCURRENCY, else one per core). */
export function serverProcesses(): number {
  return Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
}
