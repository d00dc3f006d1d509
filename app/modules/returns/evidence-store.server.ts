// Evidence on disk and in return_evidence. Files are content-addressed:
// DATA_DIR/evidence/<aa>/<bb>/<sha256>, so an identical file is stored once
// however many returns refer to it. See docs/evidence.md.
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { getEnv } from '~/utils/env.server';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import { parseEvidenceLink } from './evidence-links';
import { formatBytes, MAX_RETURN_EVIDENCE_BYTES, type StoredFile } from './evidence-limits';

const SHA256 = /^[0-9a-f]{64}$/;

export function evidenceRoot(): string {
  return path.resolve(getEnv().DATA_DIR, 'evidence');
}

/** Where uploads are written while they stream in; emptied as each request ends. */
export function uploadTmpDir(): string {
  return path.resolve(getEnv().DATA_DIR, 'tmp');
}

/** The stored file for a SHA-256 (lower-case hex); throws for anything else, so no path can be smuggled in. */
export function evidencePath(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error('Not a SHA-256 hex digest');
  return path.join(evidenceRoot(), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

// Files stored by a request whose rows are not yet written. discardUnreferenced
// leaves them alone, so one request's failure cannot delete the identical file
// another request of this process has just stored and is about to attach. This
// is per process: with several server processes (decision 0025) the other
// request may find its file gone, and the attach then refuses with an error
// (nothing written), so the user sends it again.
// Keyed by the StoredFile objects readReturnUpload returned, so releasing twice is harmless;
// an entry older than IN_FLIGHT_MS no longer protects its file.
const inFlight = new Map<string, Map<StoredFile, number>>();
const IN_FLIGHT_MS = 60 * 60_000;

export function markInFlight(files: StoredFile[]): void {
  const now = Date.now();
  for (const f of files) {
    const holders = inFlight.get(f.sha256) ?? new Map<StoredFile, number>();
    holders.set(f, now);
    inFlight.set(f.sha256, holders);
  }
}

/** The files' rows are written (or will not be): they no longer need protecting from discardUnreferenced. */
export function release(files: StoredFile[]): void {
  for (const f of files) {
    const holders = inFlight.get(f.sha256);
    holders?.delete(f);
    if (holders && !holders.size) inFlight.delete(f.sha256);
  }
}

function isInFlight(sha256: string): boolean {
  const holders = inFlight.get(sha256);
  if (!holders) return false;
  const cutoff = Date.now() - IN_FLIGHT_MS;
  for (const [file, at] of holders) if (at < cutoff) holders.delete(file);
  if (!holders.size) inFlight.delete(sha256);
  return holders.size > 0;
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Inside the caller's transaction: one return_evidence row (kind 'file') per
 * file. A file whose content is already attached to this return is skipped.
 * Refuses, writing nothing, if the return's files would pass
 * MAX_RETURN_EVIDENCE_BYTES or a stored file has gone. The caller's service
 * records the audit event.
 */
export async function attachFiles(tx: DbOrTx, returnId: string, files: StoredFile[], userId: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const existing = await tx
    .selectFrom('return_evidence')
    .select(['sha256', 'size_bytes'])
    .where('return_id', '=', returnId)
    .where('kind', '=', 'file')
    .execute();
  const seen = new Set(existing.map((e) => e.sha256));
  const fresh: StoredFile[] = [];
  for (const file of files) {
    if (seen.has(file.sha256)) continue;
    seen.add(file.sha256);
    fresh.push(file);
  }
  const current = existing.reduce((sum, e) => sum + (e.size_bytes ?? 0), 0);
  const adding = fresh.reduce((sum, f) => sum + f.sizeBytes, 0);
  if (current + adding > MAX_RETURN_EVIDENCE_BYTES) {
    return {
      ok: false,
      message: `The files for one return must be ${formatBytes(MAX_RETURN_EVIDENCE_BYTES)} or less in total. This return has ${formatBytes(current)} of files and these add ${formatBytes(adding)}.`,
    };
  }
  for (const file of fresh) {
    if (!(await fileExists(evidencePath(file.sha256)))) {
      return { ok: false, message: `${file.fileName} could not be saved. Select it again.` };
    }
  }
  const now = nowIso();
  for (const file of fresh) {
    await tx
      .insertInto('return_evidence')
      .values({
        id: newId(), return_id: returnId, kind: 'file', file_name: file.fileName, content_type: file.contentType, size_bytes: file.sizeBytes,
        sha256: file.sha256, url: null, title: null, added_by: userId, created_at: now,
      })
      .execute();
  }
  // The rows are written (committed with the caller's transaction, or rolled back and discarded by it).
  release(files);
  return { ok: true };
}

/** Inside the caller's transaction: a link as evidence (checked again here). The caller's service records the audit event. */
export async function attachLink(tx: DbOrTx, returnId: string, link: { url: string; title?: string | null }, userId: string): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const parsed = parseEvidenceLink(link.url, link.title ?? undefined);
  if (!parsed.ok) return parsed;
  const id = newId();
  await tx
    .insertInto('return_evidence')
    .values({
      id, return_id: returnId, kind: 'link', file_name: null, content_type: null, size_bytes: null, sha256: null,
      url: parsed.url, title: parsed.title, added_by: userId, created_at: nowIso(),
    })
    .execute();
  return { ok: true, id };
}

/**
 * After a failed or rolled-back transaction (or a form refused after the
 * upload was read): deletes those of these stored files that no return_evidence
 * row refers to and no other request is about to attach. Never throws for a
 * file already gone.
 */
export async function discardUnreferenced(db: DbOrTx, files: StoredFile[]): Promise<void> {
  release(files);
  const shas = [...new Set(files.map((f) => f.sha256))].filter((sha) => SHA256.test(sha) && !isInFlight(sha));
  if (!shas.length) return;
  const sweep = async (tx: DbOrTx) => {
    // Claims' evidence (app/modules/credits/claim-evidence.server.ts) shares the store.
    const referenced = await tx.selectFrom('return_evidence').select('sha256').where('sha256', 'in', shas)
      .union(tx.selectFrom('claim_evidence').select('sha256').where('sha256', 'in', shas)).execute();
    const keep = new Set(referenced.map((r) => r.sha256));
    for (const sha of shas) {
      if (keep.has(sha) || isInFlight(sha)) continue;
      const file = evidencePath(sha);
      await fs.rm(file, { force: true });
      await removeEmptyDirs(path.dirname(file));
    }
  };
  // In a transaction of its own, so no other request's attach can commit between the check and the delete.
  if (db.isTransaction) await sweep(db);
  else await db.transaction().execute(sweep);
}

async function removeEmptyDirs(dir: string): Promise<void> {
  const root = evidenceRoot();
  for (let current = dir; current.startsWith(root + path.sep); current = path.dirname(current)) {
    try {
      await fs.rmdir(current);
    } catch {
      return; // not empty, or already gone
    }
  }
}

export interface DownloadableEvidence {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * A file of a return the user may see: staff (return:review, `supplierId` null)
 * see every return except drafts (the contractor's private work until sent), a
 * contractor only their own organisation's (scoped in the query). Null for a
 * link, another supplier's return, a draft for staff, or an evidence id of
 * another return.
 */
export async function findDownloadableEvidence(
  db: DbOrTx,
  { returnId, evidenceId, supplierId }: { returnId: string; evidenceId: string; supplierId: string | null },
): Promise<DownloadableEvidence | null> {
  let query = db
    .selectFrom('return_evidence as e')
    .innerJoin('progress_return as r', 'r.id', 'e.return_id')
    .select(['e.file_name', 'e.content_type', 'e.size_bytes', 'e.sha256'])
    .where('e.id', '=', evidenceId)
    .where('e.return_id', '=', returnId)
    .where('e.kind', '=', 'file');
  query = supplierId === null ? query.where('r.status', '!=', 'draft') : query.where('r.supplier_id', '=', supplierId);
  const row = await query.executeTakeFirst();
  if (!row?.sha256 || !row.file_name || !row.content_type || row.size_bytes === null) return null;
  return { fileName: row.file_name, contentType: row.content_type, sizeBytes: row.size_bytes, sha256: row.sha256 };
}

/** Total bytes of files on a return (for "x MB of 50 MB used" hints). */
export async function returnEvidenceBytes(db: DbOrTx, returnId: string): Promise<number> {
  const row = await db
    .selectFrom('return_evidence')
    .select(sql<number>`coalesce(sum(size_bytes), 0)`.as('total'))
    .where('return_id', '=', returnId)
    .where('kind', '=', 'file')
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}
