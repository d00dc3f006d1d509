import fs from 'node:fs/promises';
import type { DbOrTx } from '#db/client';
import { formatBytes, MAX_RETURN_EVIDENCE_BYTES, type StoredFile } from '~/modules/returns/evidence-limits';
import { parseEvidenceLink } from '~/modules/returns/evidence-links';
import { evidencePath, release, type DownloadableEvidence } from '~/modules/returns/evidence-store.server';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// A claim's evidence: files and links as for progress returns, in the same
// content-addressed store (docs/evidence.md), rows in claim_evidence. The
// store's discard and the jobs' sweep count claim_evidence rows as references.

/** The most a claim's files may add up to: the same as a return's. */
export const MAX_CLAIM_EVIDENCE_BYTES = MAX_RETURN_EVIDENCE_BYTES;

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Inside the caller's transaction: one claim_evidence row per distinct file. Refuses, writing nothing, past the size limit or for a stored file that has gone. */
export async function attachClaimFiles(tx: DbOrTx, claimId: string, files: StoredFile[], userId: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const fresh: StoredFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.sha256)) continue;
    seen.add(file.sha256);
    fresh.push(file);
  }
  const adding = fresh.reduce((sum, f) => sum + f.sizeBytes, 0);
  if (adding > MAX_CLAIM_EVIDENCE_BYTES) {
    return { ok: false, message: `The files for one claim must be ${formatBytes(MAX_CLAIM_EVIDENCE_BYTES)} or less in total. These add up to ${formatBytes(adding)}.` };
  }
  for (const file of fresh) {
    if (!(await fileExists(evidencePath(file.sha256)))) return { ok: false, message: `${file.fileName} could not be saved. Select it again.` };
  }
  const now = nowIso();
  for (const file of fresh) {
    await tx.insertInto('claim_evidence').values({
      id: newId(), claim_id: claimId, kind: 'file', file_name: file.fileName, content_type: file.contentType, size_bytes: file.sizeBytes,
      sha256: file.sha256, url: null, title: null, added_by: userId, created_at: now,
    }).execute();
  }
  release(files);
  return { ok: true };
}

/** Inside the caller's transaction: a link as evidence (checked again here). */
export async function attachClaimLink(tx: DbOrTx, claimId: string, link: { url: string; title?: string | null }, userId: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const parsed = parseEvidenceLink(link.url, link.title ?? undefined);
  if (!parsed.ok) return parsed;
  await tx.insertInto('claim_evidence').values({
    id: newId(), claim_id: claimId, kind: 'link', file_name: null, content_type: null, size_bytes: null, sha256: null,
    url: parsed.url, title: parsed.title, added_by: userId, created_at: nowIso(),
  }).execute();
  return { ok: true };
}

/** The claim's evidence, oldest first (callers have already checked the claim is visible). */
export function listClaimEvidence(db: DbOrTx, claimId: string) {
  return db
    .selectFrom('claim_evidence')
    .select(['id', 'kind', 'file_name as fileName', 'size_bytes as sizeBytes', 'url', 'title'])
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * A file of a claim the user may see: staff (`supplierId` null) every claim's,
 * a contractor only their own organisation's (scoped in the query). Null for a
 * link, another supplier's claim, or an evidence id of another claim.
 */
export async function findDownloadableClaimEvidence(
  db: DbOrTx,
  { claimId, evidenceId, supplierId }: { claimId: string; evidenceId: string; supplierId: string | null },
): Promise<DownloadableEvidence | null> {
  let query = db
    .selectFrom('claim_evidence as e')
    .innerJoin('credit_claim as c', 'c.id', 'e.claim_id')
    .select(['e.file_name', 'e.content_type', 'e.size_bytes', 'e.sha256'])
    .where('e.id', '=', evidenceId)
    .where('e.claim_id', '=', claimId)
    .where('e.kind', '=', 'file');
  if (supplierId !== null) query = query.where('c.supplier_id', '=', supplierId);
  const row = await query.executeTakeFirst();
  if (!row?.sha256 || !row.file_name || !row.content_type || row.size_bytes === null) return null;
  return { fileName: row.file_name, contentType: row.content_type, sizeBytes: row.size_bytes, sha256: row.sha256 };
}
