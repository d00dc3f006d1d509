import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { serializeBlankSessionCookie } from '~/auth/session.server';
import { signOutEverywhere } from '~/modules/users/account.server';

// A form target only: the button is on /account.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'account:manage');
  return redirect('/account');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:manage');
  await signOutEverywhere(getDb(), user.id, auditActor(user, context));
  return redirect('/sign-in?signedOut=everywhere', { status: 303, headers: { 'Set-Cookie': serializeBlankSessionCookie() } });
}
