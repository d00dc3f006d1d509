import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import '@testing-library/jest-dom/vitest';
import { afterAll, afterEach, beforeEach, inject, vi } from 'vitest';
import { closeDb } from '../../db/client';

// Each test file gets its own copy of the migrated template database: tests run
// in parallel without sharing state, on the real SQLite engine.
const file = path.join(os.tmpdir(), `svp-test-${process.pid}-${randomUUID()}.sqlite`);
fs.copyFileSync(inject('templateDb'), file);
process.env.DATABASE_PATH = file;
process.env.APP_ORIGIN = 'http://localhost:3000';
process.env.LOG_LEVEL = 'silent';

// A console.error during a test is a bug (React warnings, unhandled failures): fail the test.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(async () => {
  // Component tests (jsdom): unmount what the test rendered.
  if (typeof document !== 'undefined') (await import('@testing-library/react')).cleanup();
  vi.restoreAllMocks();
  if (errors.length) throw new Error(`console.error was called:\n${errors.map((a) => a.map(String).join(' ')).join('\n')}`);
});

afterAll(() => {
  closeDb();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
});
