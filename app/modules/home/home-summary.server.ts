import type { DbOrTx } from '#db/client';
import type { SessionUser } from '~/auth/session.server';

// What the home page needs to tell each audience its next step.
export interface StaffSummary {
  organisationsAwaiting: number;
  openInvitations: number;
  activeUsers: number;
}

export async function staffSummary(db: DbOrTx, now = new Date().toISOString()): Promise<StaffSummary> {
  const [awaiting, invitations, users] = await Promise.all([
    db.selectFrom('organisation').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'vcse').where('status', '=', 'pending').executeTakeFirstOrThrow(),
    db.selectFrom('invitation').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirstOrThrow(),
    db.selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow(),
  ]);
  return { organisationsAwaiting: Number(awaiting.n), openInvitations: Number(invitations.n), activeUsers: Number(users.n) };
}

export async function homeSummary(db: DbOrTx, user: SessionUser | null) {
  if (user && (user.role === 'officer' || user.role === 'admin')) return { kind: 'staff' as const, staff: await staffSummary(db) };
  return { kind: 'other' as const };
}
