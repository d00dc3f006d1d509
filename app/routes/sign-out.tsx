import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { auditActor, getUser } from '~/auth/guards.server';
import { invalidateSession, serializeBlankSessionCookie } from '~/auth/session.server';
import { recordAudit } from '~/modules/audit/audit.server';

// Public by design: signing out without a session just clears the cookie.
export async function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getUser(request);
  if (user) {
    await getDb().transaction().execute(async (tx) => {
      await invalidateSession(tx, user.sessionId);
      await recordAudit(tx, auditActor(user, context), { action: 'user.signed_out', subjectType: 'user', subjectId: user.id });
    });
  }
  return redirect('/', { status: 303, headers: { 'Set-Cookie': serializeBlankSessionCookie() } });
}
