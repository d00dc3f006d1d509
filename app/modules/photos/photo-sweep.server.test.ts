import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { loadEnv } from '~/utils/env.server';
import { DAY } from '~/utils/time';
import { makeStory } from '../../../tests/support/factories-stories';
import { makeItem, makeVcse } from '../../../tests/support/factories-wishlist';
import { sweepPhotos } from './photo-sweep.server';
import { photoPath, storePhoto } from './photos.server';

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-photo-sweep-'));
  loadEnv();
});

const photo = async (red: number) => {
  const stored = await storePhoto(await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: red, g: 10, b: 10 } } }).png().toBuffer());
  if (!stored.ok) throw new Error(stored.message);
  return stored;
};
const age = (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(file, then, then);
};

it('removes day-old photos that no item or story uses, and day-old .part files, and nothing else', async () => {
  const { org } = await makeVcse();
  const onItem = await photo(1);
  const onStory = await photo(2);
  const unusedOld = await photo(3);
  const unusedNew = await photo(4);
  const item = await makeItem(org.id, { photo: { sha256: onItem.sha256, contentType: onItem.contentType, alt: 'A photo' } });
  const story = await makeStory();
  await getDb().updateTable('story').set({ photo_sha256: onStory.sha256, photo_content_type: onStory.contentType, photo_alt: 'A photo' }).where('id', '=', story.id).execute();
  const partOld = `${photoPath(unusedNew.sha256)}.0000.part`;
  const partNew = `${photoPath(unusedNew.sha256)}.1111.part`;
  fs.writeFileSync(partOld, 'half a photo');
  fs.writeFileSync(partNew, 'half a photo');
  for (const file of [photoPath(onItem.sha256), photoPath(onStory.sha256), photoPath(unusedOld.sha256), partOld]) age(file, 2 * DAY);

  expect(await sweepPhotos(getDb())).toEqual({ unused: 1, partFiles: 1 });
  expect(fs.existsSync(photoPath(unusedOld.sha256))).toBe(false);
  expect(fs.existsSync(partOld)).toBe(false);
  for (const file of [photoPath(onItem.sha256), photoPath(onStory.sha256), photoPath(unusedNew.sha256), partNew]) expect(fs.existsSync(file)).toBe(true);
  expect(item.id).toBeTruthy();

  // Running it again finds nothing more to do.
  expect(await sweepPhotos(getDb())).toEqual({ unused: 0, partFiles: 0 });
});

it('keeps an old unused photo that someone has just uploaded again (about to be attached)', async () => {
  const first = await photo(5);
  age(photoPath(first.sha256), 3 * DAY);
  const again = await photo(5);
  expect(again.sha256).toBe(first.sha256);
  expect(await sweepPhotos(getDb())).toEqual({ unused: 0, partFiles: 0 });
  expect(fs.existsSync(photoPath(first.sha256))).toBe(true);
});
