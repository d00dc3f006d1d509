import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { findDownloadableClaimEvidence } from '~/modules/credits/claim-evidence.server';
import { evidenceDownload } from '~/modules/returns/evidence-download.server';

// Downloads one evidence file of a credit claim (a resource route: loader only),
// by the same rules as return evidence: staff ('credit:decide') any claim's
// files; a contractor ('credit:request') only its own organisation's, anything
// else (another supplier's claim, an unknown id, a link) 404 so ids cannot be
// probed; anyone else 403.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const isStaff = can(user.role, 'credit:decide');
  if (!isStaff && !can(user.role, 'credit:request')) throw forbidden();
  const evidence = await findDownloadableClaimEvidence(getDb(), {
    claimId: (params.claimId ?? '').slice(0, 100),
    evidenceId: (params.evidenceId ?? '').slice(0, 100),
    supplierId: isStaff ? null : user.organisationId ?? '',
  });
  if (!evidence) throw notFound('This evidence file could not be found.');
  return evidenceDownload(evidence);
}
