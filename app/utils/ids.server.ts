import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { getEnv } from './env.server';

export const newId = (): string => randomUUID();

/** A URL-safe random token with 160 bits or more of entropy. */
export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Keyed hash for values we must match but never store in the clear (IPs, emails in rate-limit keys). */
export const keyedHash = (value: string): string =>
  createHmac('sha256', getEnv().SECRET_KEY).update(value).digest('base64url').slice(0, 32);

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
