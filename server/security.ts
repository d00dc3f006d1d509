import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Env } from '~/utils/env.server';

/** Security headers: an enforced CSP with a per-request nonce, HSTS on https, no framing. */
export function securityHeaders(env: Env, { dev = false } = {}) {
  const https = env.APP_ORIGIN.startsWith('https://');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`, ...(dev ? ["'unsafe-inline'"] : [])],
        'style-src': ["'self'", ...(dev ? ["'unsafe-inline'"] : [])],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'", ...(dev ? ['ws:'] : [])],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https && env.NODE_ENV === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request sent from another site (CSRF defence in depth
 * beside SameSite=Lax cookies). A request with neither Origin nor Referer (a
 * script, curl) is allowed: it cannot carry a victim's cookies from a browser.
 */
export function originCheck(env: Env) {
  const allowed = new Set([new URL(env.APP_ORIGIN).origin]);
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    // A sibling subdomain (same-site) is not us either: councils often share a parent domain.
    const fetchSite = req.get('sec-fetch-site');
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') return refuse(res);
    const source = req.get('origin') ?? originOf(req.get('referer'));
    if (source === undefined) return next();
    const own = `${req.protocol}://${req.get('host')}`;
    if (source !== 'null' && (allowed.has(source) || source === own)) return next();
    return refuse(res);
  };
}

function originOf(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

function refuse(res: Response) {
  res.status(403).type('text/plain').send('This request came from another website and was refused.');
}
