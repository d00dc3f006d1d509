import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

// For tests that start the real entry point (server/index.ts) in its own process.

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves once `pattern` matches everything the process has printed so far; rejects if it exits first. */
export function waitForOutput(proc: ChildProcess, output: () => string, pattern: RegExp, what: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`Timed out waiting for ${what}. Output so far:\n${output()}`)), ms);
    const check = () => pattern.test(output()) && done();
    const exited = (code: number | null) => done(new Error(`The server exited (${code}) before ${what}. Output:\n${output()}`));
    function done(error?: Error) {
      clearTimeout(timer);
      proc.stdout?.off('data', check);
      proc.off('exit', exited);
      if (error) reject(error);
      else resolve();
    }
    proc.stdout?.on('data', check);
    proc.once('exit', exited);
    check();
  });
}
