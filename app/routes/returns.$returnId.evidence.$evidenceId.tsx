import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { evidenceDownload } from '~/modules/returns/evidence-download.server';
import { findDownloadableEvidence } from '~/modules/returns/evidence-store.server';

// Downloads one evidence file of a progress return (a resource route: loader only).
// Staff ('return:review') may download the files of any return but a draft
// (the contractor's private work until sent); a contractor ('return:submit')
// only files of their own organisation's returns: any other return, a draft
// for staff, an unknown id or a link answers 404, so ids of other suppliers'
// returns cannot be probed. VCSE users have no business with returns: 403.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const isStaff = can(user.role, 'return:review');
  if (!isStaff && !can(user.role, 'return:submit')) throw forbidden();
  const evidence = await findDownloadableEvidence(getDb(), {
    returnId: params.returnId ?? '',
    evidenceId: params.evidenceId ?? '',
    supplierId: isStaff ? null : user.organisationId ?? '',
  });
  if (!evidence) throw notFound('This evidence file could not be found.');
  return evidenceDownload(evidence);
}
