import fs from 'node:fs/promises';
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { attachmentDisposition } from '~/modules/returns/evidence-names';
import { evidencePath, findDownloadableEvidence } from '~/modules/returns/evidence-store.server';

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

  let handle: fs.FileHandle;
  try {
    handle = await fs.open(evidencePath(evidence.sha256), 'r');
  } catch {
    throw notFound('This evidence file could not be found.');
  }
  const { size } = await handle.stat();
  // Streamed from disk, never read whole into memory; the handle closes when the stream ends or is cancelled.
  const body = createReadableStreamFromReadable(handle.createReadStream({ autoClose: true }));
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': evidence.contentType,
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(evidence.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      // Defence in depth should a browser ever render it: no scripts, no plugins, no same-origin access.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  });
}
