import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { freePort, waitForOutput } from '../support/processes';

// Graceful shutdown of the real entry point (server/index.ts) in its own process:
// SIGTERM while a request is in flight lets that request finish, then exits 0.
// One server process (WEB_CONCURRENCY=1); cluster.test.ts stops several.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-shutdown-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('finishes a request in flight on SIGTERM, refuses new connections, and exits 0', { timeout: 40_000 }, async () => {
  const database = path.join(dir, 'portal.sqlite');
  fs.copyFileSync(inject('templateDb'), database);
  const port = await freePort();

  let output = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, NODE_ENV: 'production', DEMO_MODE: 'true', WEB_CONCURRENCY: '1', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  await waitForOutput(child, () => output, /"msg":"listening"/, 'the server to listen');

  // `Expect: 100-continue` makes the server acknowledge the request line and
  // headers before the body is sent: from then on the request is in flight.
  const body = new URLSearchParams({ email: 'nobody@example.org', password: 'not-the-password', redirectTo: '' }).toString();
  const request = http.request({
    host: '127.0.0.1', port, method: 'POST', path: '/sign-in', agent: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue', Connection: 'close' },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    request.once('error', reject);
  });
  await new Promise<void>((resolve) => request.once('continue', resolve));

  child.kill('SIGTERM');
  await waitForOutput(child, () => output, /shutting down/, 'the shutdown log line');

  // No new connections once shutting down.
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

  request.end(body);
  const { status, text } = await response;
  expect(status).toBe(400);
  expect(text).toContain('Enter a correct email address and password');

  expect(await exit).toBe(0);
  expect(output).toMatch(/"msg":"stopped"/);
});
