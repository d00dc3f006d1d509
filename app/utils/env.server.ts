import { z } from 'zod';

// Validated at boot (server/index.ts calls loadEnv()). Config fails closed:
// production has no default secrets and refuses to start without them.
const DEV_SECRET = 'development-only-secret-not-for-production-use';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DEMO_MODE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    APP_ORIGIN: z.string().url().optional(),
    SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
    DATABASE_PATH: z.string().optional(),
    DATA_DIR: z.string().default('data'),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().default('Social value portal <no-reply@localhost>'),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AUTHORITY_NAME: z.string().default('Northbridge Borough Council'),
    /** Server processes for `npm start`; unset means one per CPU core (server/cluster.ts). */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(32).optional(),
  })
  .superRefine((env, ctx) => {
    const isProduction = env.NODE_ENV === 'production' && !env.DEMO_MODE;
    if (!isProduction) return;
    if (!env.SECRET_KEY) ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'SECRET_KEY is required in production' });
    if (env.SECRET_KEY === DEV_SECRET) ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'SECRET_KEY must not be the development value' });
    if (!env.APP_ORIGIN) ctx.addIssue({ code: 'custom', path: ['APP_ORIGIN'], message: 'APP_ORIGIN (the public https address) is required in production' });
    else if (!env.APP_ORIGIN.startsWith('https://')) ctx.addIssue({ code: 'custom', path: ['APP_ORIGIN'], message: 'APP_ORIGIN must use https in production' });
  });

export type Env = z.infer<typeof schema> & { SECRET_KEY: string; APP_ORIGIN: string; DATABASE_PATH: string };

let cached: Env | undefined;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const env = result.data;
  return {
    ...env,
    SECRET_KEY: env.SECRET_KEY ?? DEV_SECRET,
    APP_ORIGIN: (env.APP_ORIGIN ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    DATABASE_PATH: env.DATABASE_PATH ?? `${env.DATA_DIR}/portal.sqlite`,
  };
}

export function loadEnv(): Env {
  cached = parseEnv(process.env);
  process.env.DATABASE_PATH = cached.DATABASE_PATH;
  return cached;
}

export function getEnv(): Env {
  return cached ?? loadEnv();
}

/** True where the outbox is read on screen instead of (or as well as) sent. */
export function isOutboxVisible(env = getEnv()): boolean {
  return env.NODE_ENV !== 'production' || env.DEMO_MODE;
}
