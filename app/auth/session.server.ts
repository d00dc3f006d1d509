import type { DbOrTx } from '#db/client';
import type { OrganisationKind, OrganisationStatus, Role } from '#db/schema';
import { getEnv } from '~/utils/env.server';
import { constantTimeEqual, randomToken, sha256 } from '~/utils/ids.server';
import { DAY, addMs, nowIso } from '~/utils/time';

// Sessions as Lucia's guide designs them (see docs/decisions/0002-sessions-without-lucia.md):
// the cookie holds "id.secret"; the database holds only SHA-256(secret).
export const IDLE_TIMEOUT_MS = 7 * DAY;
export const ABSOLUTE_TIMEOUT_MS = 30 * DAY;
/** Extend the idle expiry at most once a day, so reads do not write on every request. */
const EXTEND_WHEN_LEFT_MS = IDLE_TIMEOUT_MS - DAY;

export interface SessionUser {
  sessionId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  organisationStatus: OrganisationStatus;
}

export function sessionCookieName(): string {
  return isSecureOrigin() ? '__Host-svp_session' : 'svp_session';
}

function isSecureOrigin(): boolean {
  return getEnv().APP_ORIGIN.startsWith('https://');
}

export async function createSession(db: DbOrTx, userId: string, now = new Date()): Promise<string> {
  const id = randomToken(15);
  const secret = randomToken(24);
  await db
    .insertInto('session')
    .values({
      id,
      secret_hash: sha256(secret),
      user_id: userId,
      created_at: nowIso(now),
      expires_at: addMs(now, IDLE_TIMEOUT_MS),
      absolute_expires_at: addMs(now, ABSOLUTE_TIMEOUT_MS),
    })
    .execute();
  return `${id}.${secret}`;
}

/** Returns the user behind a session token, sliding its idle expiry; null if invalid or expired. */
export async function validateSessionToken(db: DbOrTx, token: string, now = new Date()): Promise<SessionUser | null> {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 128) return null;
  const row = await db
    .selectFrom('session')
    .innerJoin('user', 'user.id', 'session.user_id')
    .innerJoin('organisation', 'organisation.id', 'user.organisation_id')
    .select([
      'session.id as sessionId', 'session.secret_hash', 'session.expires_at', 'session.absolute_expires_at',
      'user.id', 'user.email', 'user.name', 'user.role', 'user.status', 'user.organisation_id as organisationId',
      'organisation.name as organisationName', 'organisation.kind as organisationKind', 'organisation.status as organisationStatus',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  if (!row || !constantTimeEqual(row.secret_hash, sha256(secret))) return null;
  const nowMs = now.getTime();
  if (row.status !== 'active' || Date.parse(row.expires_at) <= nowMs || Date.parse(row.absolute_expires_at) <= nowMs) {
    await db.deleteFrom('session').where('id', '=', id).execute();
    return null;
  }
  if (Date.parse(row.expires_at) - nowMs < EXTEND_WHEN_LEFT_MS) {
    const extended = new Date(Math.min(nowMs + IDLE_TIMEOUT_MS, Date.parse(row.absolute_expires_at))).toISOString();
    await db.updateTable('session').set({ expires_at: extended }).where('id', '=', id).execute();
  }
  return {
    sessionId: row.sessionId, id: row.id, email: row.email, name: row.name, role: row.role,
    organisationId: row.organisationId, organisationName: row.organisationName,
    organisationKind: row.organisationKind, organisationStatus: row.organisationStatus,
  };
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

export async function invalidateUserSessions(db: DbOrTx, userId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function serializeSessionCookie(token: string): string {
  const maxAge = Math.floor(ABSOLUTE_TIMEOUT_MS / 1000);
  return `${sessionCookieName()}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${isSecureOrigin() ? '; Secure' : ''}`;
}

export function serializeBlankSessionCookie(): string {
  return `${sessionCookieName()}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${isSecureOrigin() ? '; Secure' : ''}`;
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get('Cookie');
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}
