import fs from 'node:fs/promises';
import path from 'node:path';
import type { DbOrTx } from '#db/client';
import { DAY } from '~/utils/time';
import { evidenceRoot, uploadTmpDir } from './evidence-store.server';

// Run by `npm run jobs`: removes what a crash or a kill mid-upload can leave
// behind. Only files older than a day go, so an upload in progress (or one whose
// evidence row is about to be written) is never touched.
export const SWEEP_AGE_MS = DAY;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function isOld(file: string, now: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  return stat !== null && now - stat.mtimeMs > SWEEP_AGE_MS;
}

export async function sweepEvidence(db: DbOrTx, now = Date.now()): Promise<{ tmpFiles: number; orphans: number }> {
  let tmpFiles = 0;
  for (const file of await filesUnder(uploadTmpDir())) {
    if (await isOld(file, now)) {
      await fs.rm(file, { force: true });
      tmpFiles += 1;
    }
  }
  let orphans = 0;
  for (const file of await filesUnder(evidenceRoot())) {
    const sha = path.basename(file);
    if (!/^[0-9a-f]{64}$/.test(sha) || !(await isOld(file, now))) continue;
    const used = await db.selectFrom('return_evidence').select('id').where('sha256', '=', sha)
      .union(db.selectFrom('claim_evidence').select('id').where('sha256', '=', sha)).limit(1).executeTakeFirst();
    if (!used) {
      await fs.rm(file, { force: true });
      orphans += 1;
    }
  }
  return { tmpFiles, orphans };
}
