import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum settings (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id: a const enum, which isolatedModules cannot import */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A real hash of a random string, so that checking an unknown email costs the
// same time as checking a known one.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  const target = passwordHash ?? (await dummyHash);
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== null;
  } catch {
    return false;
  }
}
