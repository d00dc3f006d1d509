import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { checkBlocked, clearFailures, delayAfterFailures, hitRateLimit, limitKey, recordFailure } from './rate-limit.server';

describe('rate limits', () => {
  it('allows the limit within a window, refuses the next, and resets with a new window', async () => {
    const key = limitKey('test', 'a@example.org');
    const t = 1_000_000;
    for (let i = 0; i < 3; i += 1) expect((await hitRateLimit(getDb(), key, 3, 60_000, t + i)).ok).toBe(true);
    const refused = await hitRateLimit(getDb(), key, 3, 60_000, t + 10);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect((await hitRateLimit(getDb(), key, 3, 60_000, t + 60_001)).ok).toBe(true);
  });

  it('never stores the email or IP itself', () => {
    expect(limitKey('sign-in', '203.0.113.5')).not.toContain('203.0.113.5');
    expect(limitKey('sign-in', 'Person@Example.org')).toBe(limitKey('sign-in', 'person@example.org'));
  });

  it('doubles the delay after the free failures and caps it at 15 minutes', () => {
    expect(delayAfterFailures(4)).toBe(0);
    expect(delayAfterFailures(5)).toBe(30_000);
    expect(delayAfterFailures(6)).toBe(60_000);
    expect(delayAfterFailures(50)).toBe(15 * 60_000);
  });

  it('blocks after failures and clears on success', async () => {
    const key = limitKey('test-fail', 'b@example.org');
    const now = 5_000_000;
    for (let i = 0; i < 5; i += 1) await recordFailure(getDb(), key, { now });
    expect(await checkBlocked(getDb(), key, now + 1000)).toEqual({ ok: false, retryAfterSeconds: 29 });
    expect((await checkBlocked(getDb(), key, now + 30_001)).ok).toBe(true);
    await clearFailures(getDb(), key);
    expect((await checkBlocked(getDb(), key, now + 1)).ok).toBe(true);
  });
});
