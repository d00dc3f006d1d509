import fs from 'node:fs/promises';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { notFound } from '~/auth/guards.server';
import { attachmentDisposition } from './evidence-names';
import { evidencePath } from './evidence-store.server';

/**
 * An evidence file (of a return or a claim) as a download, once the route has
 * checked who may have it. Streamed from disk, never read whole into memory; the
 * handle closes when the stream ends or is cancelled. A file missing on disk is a 404.
 */
export async function evidenceDownload(evidence: { sha256: string; contentType: string; fileName: string }): Promise<Response> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(evidencePath(evidence.sha256), 'r');
  } catch {
    throw notFound('This evidence file could not be found.');
  }
  const { size } = await handle.stat();
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
