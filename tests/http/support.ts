import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { createApp, type AppOptions } from '../../server/app';
import { createLogger } from '../../server/logger';
import { parseEnv, type Env } from '~/utils/env.server';

// The HTTP tests drive the BUILT portal (`npm run build`, which `npm test` runs
// first) behind the real Express app, over a real socket on a free port.

let build: Promise<ServerBuild> | undefined;

export function loadBuild(): Promise<ServerBuild> {
  const file = path.resolve('build/server/index.js');
  // A path, not a literal: the build exists only after `npm run build`.
  build ??= import(pathToFileURL(file).href).catch((error: unknown) => {
    throw new Error(`Could not load ${file}; run \`npm run build\` first.\n${String(error)}`);
  }) as Promise<ServerBuild>;
  return build;
}

/** A validated test configuration on this test file's own database copy. */
export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_ORIGIN: 'http://localhost:3000',
    DATABASE_PATH: process.env.DATABASE_PATH,
    ...overrides,
  });
}

/** Every JSON log line the app writes, parsed, plus the raw text. */
export function captureLogs(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(level, stream), lines, text: () => lines.join('\n') };
}

export interface TestServer {
  url: string;
  origin: string;
  close: () => Promise<void>;
}

export async function startApp(options: Partial<AppOptions> & { env?: Env } = {}): Promise<TestServer> {
  const env = options.env ?? testEnv();
  const app = createApp({ logger: createLogger('silent'), ...options, env, build: options.build ?? (await loadBuild()) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function form(fields: Record<string, string>): { body: URLSearchParams; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
}

/** The value of the `script-src` nonce in a Content-Security-Policy header. */
export function cspNonce(header: string | null): string | undefined {
  return header?.match(/script-src [^;]*'nonce-([^']+)'/)?.[1];
}
