import { redirect } from '@remix-run/node';
import type { AppLoadContext } from '@remix-run/node';
import { getDb } from '#db/client';
import type { Actor as AuditActor } from '~/modules/audit/audit.server';
import { can, type Permission } from './permissions';
import { readSessionToken, validateSessionToken, type SessionUser } from './session.server';

// The first line of every protected loader and action calls one of these.
// A layout's loader does not protect its children: Remix runs them in parallel.
const resolved = new WeakMap<Request, Promise<SessionUser | null>>();

export function getUser(request: Request): Promise<SessionUser | null> {
  let pending = resolved.get(request);
  if (!pending) {
    const token = readSessionToken(request);
    pending = token ? validateSessionToken(getDb(), token) : Promise.resolve(null);
    resolved.set(request, pending);
  }
  return pending;
}

export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`);
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) throw signInRedirect(request);
  return user;
}

export function forbidden(message = 'You do not have permission to see this page.'): Response {
  return new Response(message, { status: 403, statusText: 'Forbidden' });
}

export function notFound(message = 'Page not found'): Response {
  return new Response(message, { status: 404, statusText: 'Not Found' });
}

/** Signed in and allowed by the permission matrix, or a redirect to sign in / a 403. */
export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) throw forbidden();
  return user;
}

/** The audit actor for a signed-in user in this request. */
export function auditActor(user: SessionUser | null, context?: AppLoadContext): AuditActor {
  return { userId: user?.id ?? null, organisationId: user?.organisationId ?? null, requestId: context?.requestId ?? null };
}
