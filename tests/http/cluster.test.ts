import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { freePort, waitForOutput } from '../support/processes';

// `npm start` with several server processes (server/cluster.ts, decision 0025):
// they share the port and both answer; one that dies is replaced; SIGTERM to the
// primary stops them all and exits 0; a port in use stops it with exit 1.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-cluster-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(port: number, { detached = false } = {}) {
  const database = path.join(dir, `portal-${port}.sqlite`);
  fs.copyFileSync(inject('templateDb'), database);
  let output = '';
  const { SMTP_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...inherited, NODE_ENV: 'production', DEMO_MODE: 'false', SECRET_KEY: randomBytes(32).toString('hex'), APP_ORIGIN: 'https://cluster.invalid', WEB_CONCURRENCY: '2', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  children.push(child);
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

const logLines = (output: string) => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const listeningPids = (output: string) => logLines(output).filter((l) => l.msg === 'listening').map((l) => l.pid as number);
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('serves from two processes, replaces one that dies, and stops them all on SIGTERM', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const { child, exit, output } = start(port);
  await waitForOutput(child, output, /("msg":"listening"[^\n]*\n[^]*){2}/, 'two server processes to listen', 45_000);
  const [first, second] = listeningPids(output());
  expect(first).not.toBe(second);

  // A new connection per request: the primary hands connections out in turn.
  for (let i = 0; i < 6; i += 1) {
    const response = await fetch(`http://127.0.0.1:${port}/accessibility`, { headers: { Connection: 'close' } });
    expect(response.status).toBe(200);
    await response.text();
  }
  const served = new Set(logLines(output()).filter((l) => (l.req as { url?: string } | undefined)?.url === '/accessibility').map((l) => l.pid));
  expect(served).toEqual(new Set([first, second]));
  // Only process 0 sends the outbox (here it says there is no SMTP server).
  expect(logLines(output()).filter((l) => String(l.msg).startsWith('SMTP_URL is not set'))).toHaveLength(1);

  process.kill(first!, 'SIGKILL');
  await waitForOutput(child, output, /a server process died; starting another/, 'the primary to notice');
  await waitForOutput(child, output, /("msg":"listening"[^\n]*\n[^]*){3}/, 'a replacement to listen', 45_000);
  const replacement = listeningPids(output())[2]!;
  expect([first, second]).not.toContain(replacement);
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

  child.kill('SIGTERM');
  expect(await exit).toBe(0);
  expect(output()).toMatch(/all server processes stopped/);
  expect(isRunning(second!)).toBe(false);
  expect(isRunning(replacement)).toBe(false);
});

it('finishes a request in flight when SIGTERM reaches the whole process group (systemd, docker), and exits 0', { timeout: 90_000 }, async () => {
  const port = await freePort();
  const { child, exit, output } = start(port, { detached: true });
  await waitForOutput(child, output, /("msg":"listening"[^\n]*\n[^]*){2}/, 'two server processes to listen', 45_000);

  // `Expect: 100-continue`: once the server has answered "continue", the request is in flight.
  const body = new URLSearchParams({ email: 'nobody@example.org', password: 'not-the-password', redirectTo: '' }).toString();
  const request = http.request({
    host: '127.0.0.1', port, method: 'POST', path: '/sign-in', agent: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue', Connection: 'close' },
  });
  const response = new Promise<number>((resolve, reject) => {
    request.once('response', (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    request.once('error', reject);
  });
  await new Promise<void>((resolve) => request.once('continue', resolve));

  process.kill(-child.pid!, 'SIGTERM');
  await waitForOutput(child, output, /shutting down/, 'a server to start shutting down');
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.end(body);
  const status = await response;
  if (status !== 400) console.log(output());
  expect(status).toBe(400);
  expect(await exit).toBe(0);
  expect(output()).not.toMatch(/starting another/);
  expect(output()).toMatch(/all server processes stopped/);
});

it('stops with exit 1 when the server processes cannot listen', { timeout: 40_000 }, async () => {
  const blocker = net.createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    const { exit, output } = start(port);
    expect(await exit).toBe(1);
    expect(output()).toMatch(/already in use/);
    expect(output()).toMatch(/exited before it started listening/);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});
