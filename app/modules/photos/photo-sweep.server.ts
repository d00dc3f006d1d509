import fs from 'node:fs/promises';
import path from 'node:path';
import type { DbOrTx } from '#db/client';
import { DAY } from '~/utils/time';
import { photoRoot } from './photos.server';

// Run by `npm run jobs`: removes photos no wishlist item or story uses (a form
// the service then refused, a photo replaced or removed) and `.part` files a
// crash left mid-write. Only files untouched for a day go: storePhoto marks an
// already-stored photo fresh, so one about to be attached is never removed.
export const PHOTO_SWEEP_AGE_MS = DAY;
const SHA256 = /^[0-9a-f]{64}$/;

async function isOld(file: string, now: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  return stat !== null && now - stat.mtimeMs > PHOTO_SWEEP_AGE_MS;
}

async function inUse(db: DbOrTx, sha256: string): Promise<boolean> {
  const row = await db.selectFrom('wishlist_item').select('id').where('photo_sha256', '=', sha256)
    .union(db.selectFrom('story').select('id').where('photo_sha256', '=', sha256)).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function sweepPhotos(db: DbOrTx, now = Date.now()): Promise<{ unused: number; partFiles: number }> {
  const entries = await fs.readdir(photoRoot(), { withFileTypes: true, recursive: true }).catch(() => []);
  let unused = 0;
  let partFiles = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (entry.name.endsWith('.part')) {
      if (await isOld(file, now)) {
        await fs.rm(file, { force: true });
        partFiles += 1;
      }
      continue;
    }
    if (!SHA256.test(entry.name) || !(await isOld(file, now)) || (await inUse(db, entry.name))) continue;
    // Looked at again last: a store of the same photo since the first look makes it fresh.
    if (!(await isOld(file, now))) continue;
    await fs.rm(file, { force: true });
    unused += 1;
  }
  return { unused, partFiles };
}
