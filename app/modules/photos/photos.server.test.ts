import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '~/utils/env.server';
import { MAX_PHOTO_BYTES } from './photo-limits';
import { photoPath, photoResponse, processPhoto, readPhotoUpload, sniffPhoto, storePhoto } from './photos.server';

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-photos-'));
  loadEnv();
});

const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });

function multipart(parts: Record<string, string | { name: string; bytes: Buffer; type?: string }>): Request {
  const form = new FormData();
  for (const [key, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)], { type: value.type ?? 'application/octet-stream' }), value.name);
  }
  return new Request('http://localhost:3000/upload', { method: 'POST', body: form });
}

describe('sniffPhoto', () => {
  it('recognises JPEG, PNG and WebP by content and nothing else', async () => {
    expect(sniffPhoto(await image(4, 4).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffPhoto(await image(4, 4).png().toBuffer())).toBe('png');
    expect(sniffPhoto(await image(4, 4).webp().toBuffer())).toBe('webp');
    expect(sniffPhoto(await image(4, 4).gif().toBuffer())).toBeNull();
    expect(sniffPhoto(Buffer.from('%PDF-1.4 not an image'))).toBeNull();
    expect(sniffPhoto(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('processPhoto', () => {
  it('resizes a big photo to 1200 pixels wide and strips its metadata (EXIF, GPS)', async () => {
    const original = await image(3000, 2000)
      .withExif({ IFD0: { Artist: 'Secret Person', Copyright: 'Somewhere' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const result = await processPhoto(original);
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ kind: 'jpeg', width: 1200, height: 800 });
    const meta = await sharp(result.data).metadata();
    expect(meta.width).toBe(1200);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(result.data.includes(Buffer.from('Secret Person'))).toBe(false);
  });

  it('never enlarges a small photo and keeps its format', async () => {
    const result = await processPhoto(await image(300, 200).png().toBuffer());
    expect(result).toMatchObject({ ok: true, kind: 'png', width: 300, height: 200 });
  });

  it('refuses things that are not images, and broken or mislabelled images', async () => {
    expect(await processPhoto(Buffer.from('MZ this is an exe'))).toMatchObject({ ok: false, message: expect.stringContaining('JPEG, PNG or WebP') });
    expect(await processPhoto(await image(4, 4).gif().toBuffer())).toMatchObject({ ok: false });
    // A PNG signature in front of garbage.
    const png = await image(4, 4).png().toBuffer();
    expect(await processPhoto(Buffer.concat([png.subarray(0, 33), Buffer.alloc(200, 7)]))).toMatchObject({ ok: false });
    // A JPEG signature in front of a PNG body: the decoder disagrees.
    expect(await processPhoto(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]))).toMatchObject({ ok: false });
  });
});

describe('storePhoto and photoResponse', () => {
  it('stores by content hash once and serves it with safe headers', async () => {
    const bytes = await image(50, 40).webp().toBuffer();
    const first = await storePhoto(bytes);
    const second = await storePhoto(bytes);
    if (!first.ok || !second.ok) throw new Error('not stored');
    expect(first.sha256).toBe(second.sha256);
    expect(first.contentType).toBe('image/webp');
    expect(fs.existsSync(photoPath(first.sha256))).toBe(true);
    const response = await photoResponse(first.sha256, first.contentType, { cache: 'public' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/webp');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    // Public photos are stored by caches but revalidated on every use (the route re-checks who may see it).
    expect(response.headers.get('Cache-Control')).toBe('public, no-cache');
    const revalidated = await photoResponse(first.sha256, first.contentType, { cache: 'public', ifNoneMatch: `W/"x", "${first.sha256}"` });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect((await photoResponse(first.sha256, first.contentType, { cache: 'public', ifNoneMatch: '"other"' })).status).toBe(200);
    expect((await photoResponse(first.sha256, first.contentType, { cache: 'private', ifNoneMatch: `"${first.sha256}"` })).status).toBe(200);
    expect((await photoResponse(first.sha256, first.contentType, { cache: 'private' })).headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('answers 404 for a missing file, a bad hash or a type that is not a photo', async () => {
    expect((await photoResponse('a'.repeat(64), 'image/png', { cache: 'public' })).status).toBe(404);
    expect((await photoResponse('../../etc/passwd', 'image/png', { cache: 'public' })).status).toBe(404);
    expect((await photoResponse('a'.repeat(64), 'text/html', { cache: 'public' })).status).toBe(404);
    expect(() => photoPath('../x')).toThrow();
  });
});

describe('readPhotoUpload', () => {
  it('reads the fields and the photo of a multipart form', async () => {
    const bytes = await image(10, 10).jpeg().toBuffer();
    const upload = await readPhotoUpload(multipart({ title: 'Laptops', photo: { name: 'a.jpg', bytes, type: 'image/jpeg' } }));
    if (!upload.ok) throw new Error(upload.message);
    expect(upload.fields.get('title')).toBe('Laptops');
    expect(upload.photo?.bytes.equals(bytes)).toBe(true);
  });

  it('treats an empty file input as no photo, and a URL-encoded form as fields only', async () => {
    const upload = await readPhotoUpload(multipart({ title: 'x', photo: { name: '', bytes: Buffer.alloc(0) } }));
    expect(upload).toMatchObject({ ok: true, photo: null });
    const encoded = await readPhotoUpload(new Request('http://localhost/x', { method: 'POST', body: new URLSearchParams({ title: 'y' }) }));
    expect(encoded).toMatchObject({ ok: true, photo: null });
    if (encoded.ok) expect(encoded.fields.get('title')).toBe('y');
  });

  it('refuses a photo over 10 MB with 413, keeping the text fields', async () => {
    const upload = await readPhotoUpload(multipart({ title: 'Big', photo: { name: 'big.jpg', bytes: Buffer.alloc(MAX_PHOTO_BYTES + 10, 1) } }));
    expect(upload).toMatchObject({ ok: false, status: 413, field: 'photo' });
  });

  it('refuses JSON with 415', async () => {
    const upload = await readPhotoUpload(new Request('http://localhost/x', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(upload).toMatchObject({ ok: false, status: 415 });
  });
});
