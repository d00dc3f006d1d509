import { describe, expect, it } from 'vitest';
import { isOutboxVisible, parseEnv as parseProcessEnv } from './env.server';

const parseEnv = (vars: Record<string, string>) => parseProcessEnv(vars as NodeJS.ProcessEnv);

const SECRET = 'k'.repeat(40);
const production = { NODE_ENV: 'production', APP_ORIGIN: 'https://portal.example.gov.uk', SECRET_KEY: SECRET };

describe('parseEnv', () => {
  it('refuses production without SECRET_KEY, naming the variable', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', APP_ORIGIN: 'https://portal.example.gov.uk' })).toThrow(/SECRET_KEY is required in production/);
  });

  it('refuses a short SECRET_KEY', () => {
    expect(() => parseEnv({ ...production, SECRET_KEY: 'too-short' })).toThrow(/SECRET_KEY must be at least 32 characters/);
  });

  it('refuses the development secret in production', () => {
    expect(() => parseEnv({ ...production, SECRET_KEY: 'development-only-secret-not-for-production-use' })).toThrow(/must not be the development value/);
  });

  it('refuses production without an https APP_ORIGIN', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', SECRET_KEY: SECRET })).toThrow(/APP_ORIGIN .*required in production/);
    expect(() => parseEnv({ ...production, APP_ORIGIN: 'http://portal.example.gov.uk' })).toThrow(/APP_ORIGIN must use https/);
  });

  it('lists every problem at once, under "Invalid configuration"', () => {
    let message = '';
    try {
      parseEnv({ NODE_ENV: 'production', PORT: 'eighty' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain('PORT');
  });

  it('accepts a complete production configuration and trims a trailing slash from APP_ORIGIN', () => {
    const env = parseEnv({ ...production, APP_ORIGIN: 'https://portal.example.gov.uk/' });
    expect(env.SECRET_KEY).toBe(SECRET);
    expect(env.APP_ORIGIN).toBe('https://portal.example.gov.uk');
    expect(isOutboxVisible(env)).toBe(false);
  });

  it('lets the demo run in production mode without secrets, with the outbox on screen', () => {
    const env = parseEnv({ NODE_ENV: 'production', DEMO_MODE: 'true', PORT: '4123' });
    expect(env.APP_ORIGIN).toBe('http://localhost:4123');
    expect(env.SECRET_KEY.length).toBeGreaterThanOrEqual(32);
    expect(isOutboxVisible(env)).toBe(true);
  });

  it('defaults the database under DATA_DIR', () => {
    expect(parseEnv({ DATA_DIR: '/srv/portal' }).DATABASE_PATH).toBe('/srv/portal/portal.sqlite');
  });
});
