import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

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
