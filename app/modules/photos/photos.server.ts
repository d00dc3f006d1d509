// Photos (wishlist items; stories reuse it): one image per form, read into
// memory (at most 10 MB), recognised by its content (JPEG, PNG or WebP only),
// decoded and re-encoded by sharp at most PHOTO_MAX_WIDTH wide, which drops
// every piece of metadata (EXIF, GPS, XMP, ICC comments), and stored by the
// SHA-256 of the re-encoded bytes under DATA_DIR/photos/<aa>/<bb>/<sha256>.
// See docs/wishlist.md ("Photos") and docs/decisions/0017-wishlist-photos-resized-and-stripped.md.
//
// API:
//   readPhotoUpload(request)          → the form's text fields and the raw photo (or a 4xx failure)
//   storePhoto(bytes)                 → { ok: true, sha256, contentType } | { ok: false, message }
//   photoResponse(sha256, contentType, { cache })  → the image as a Response (404 if missing)
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import busboy from 'busboy';
import sharp from 'sharp';
import { getEnv } from '~/utils/env.server';
import { MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPES, PHOTO_MAX_PIXELS, PHOTO_MAX_WIDTH, PHOTO_TYPES, PHOTO_TYPES_TEXT, type PhotoKind } from './photo-limits';

// Pages import PHOTO_ACCEPT, PHOTO_HINT and the other limits from './photo-limits' (no server
// code): importing them from here into a component pulls this server module into the browser build.

/** The file input's default name. */
export const PHOTO_FIELD = 'photo';

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_FIELDS = 100;
const MAX_FIELD_BYTES = 100_000;
/** Text fields and multipart framing on top of the photo. */
const MAX_OVERHEAD_BYTES = 1024 * 1024;

export type PhotoUpload =
  | { ok: true; fields: FormData; photo: { bytes: Buffer; fileName: string } | null }
  /** `field` is the photo field for a problem with the file, '' for the form as a whole; `fields` holds what was read, to show it again. */
  | { ok: false; status: 400 | 413 | 415; field: string; message: string; fields: FormData };

export type StoredPhoto = { ok: true; sha256: string; contentType: string; width: number; height: number } | { ok: false; message: string };

const TOO_BIG = 'The selected photo must be 10 MB or smaller';

/**
 * Reads a form that may carry one photo in `field`. URL-encoded forms have no
 * photo. An empty file input is no photo. Nothing is written to disk here.
 */
export async function readPhotoUpload(request: Request, { field = PHOTO_FIELD }: { field?: string } = {}): Promise<PhotoUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  const empty = new FormData();
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    try {
      return { ok: true, fields: await request.formData(), photo: null };
    } catch {
      return { ok: false, status: 400, field: '', message: 'The form could not be read. Go back and try again.', fields: empty };
    }
  }
  if (!/^multipart\/form-data\b/i.test(contentType)) return { ok: false, status: 415, field: '', message: 'Send this form from its page in the portal.', fields: empty };
  const declared = Number(request.headers.get('Content-Length') ?? NaN);
  if (declared > MAX_PHOTO_BYTES + MAX_OVERHEAD_BYTES) return { ok: false, status: 413, field, message: TOO_BIG, fields: empty };
  if (!request.body) return { ok: false, status: 400, field: '', message: 'The form could not be read. Go back and try again.', fields: empty };
  return readMultipart(contentType, request.body, field);
}

async function readMultipart(contentType: string, body: ReadableStream<Uint8Array>, photoField: string): Promise<PhotoUpload> {
  const fields = new FormData();
  let failure: Extract<PhotoUpload, { ok: false }> | null = null;
  const fail = (status: 400 | 413 | 415, field: string, message: string) => {
    failure ??= { ok: false, status, field, message, fields };
  };
  let photo: { bytes: Buffer; fileName: string } | null = null;
  const files: Promise<void>[] = [];
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: { fileSize: MAX_PHOTO_BYTES + 1, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
    });
  } catch {
    return { ok: false, status: 400, field: '', message: 'The form could not be read. Go back and try again.', fields };
  }
  const closed = new Promise<void>((resolve) => {
    parser.once('close', resolve);
    parser.once('error', () => {
      fail(400, '', 'The form could not be read. Go back and try again.');
      resolve();
    });
  });
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(413, name, 'A text answer is too long. Shorten it and try again.');
    else fields.append(name, value);
  });
  parser.on('file', (name, stream, info) => {
    if (name !== photoField) {
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('limit', () => fail(413, photoField, TOO_BIG));
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PHOTO_BYTES) chunks.push(chunk);
    });
    files.push(new Promise<void>((resolve) => {
      stream.once('end', () => {
        if (size > 0 && size <= MAX_PHOTO_BYTES) photo = { bytes: Buffer.concat(chunks), fileName: info.filename ?? '' };
        else if (size === 0 && info.filename) fail(400, photoField, 'The selected photo is empty');
        resolve();
      });
      stream.once('error', () => resolve());
    }));
  });
  parser.on('filesLimit', () => fail(413, photoField, 'Select one photo'));
  parser.on('fieldsLimit', () => fail(413, '', 'The form has too many fields.'));
  parser.on('partsLimit', () => fail(413, '', 'The form has too many fields.'));

  let received = 0;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
      if (received > MAX_PHOTO_BYTES + MAX_OVERHEAD_BYTES) {
        fail(413, photoField, TOO_BIG);
        break;
      }
      if (failure) break;
      if (!parser.write(chunk)) await new Promise<void>((resolve) => parser.once('drain', resolve));
    }
    if (!failure) parser.end();
    else parser.destroy();
  } catch {
    fail(400, photoField, 'The upload was interrupted. Select the photo and try again.');
    parser.destroy();
  }
  if (!failure) await closed;
  if (!failure) await Promise.all(files);
  if (failure) return failure;
  return { ok: true, fields, photo };
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, from their signature; never from a name or a claimed type. */
export function sniffPhoto(bytes: Buffer): PhotoKind | null {
  if (bytes.length >= 3 && bytes.subarray(0, 3).equals(JPEG)) return 'jpeg';
  if (bytes.length >= 16 && bytes.subarray(0, 8).equals(PNG) && bytes.subarray(12, 16).toString('latin1') === 'IHDR') return 'png';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

const NOT_AN_IMAGE = `The selected file must be a ${PHOTO_TYPES_TEXT}`;

/**
 * Checks and re-encodes a photo in memory: oriented by its EXIF orientation,
 * then resized to at most PHOTO_MAX_WIDTH wide and re-encoded in its own
 * format without any metadata. Animated images keep their first frame only.
 */
export async function processPhoto(bytes: Buffer): Promise<{ ok: true; data: Buffer; kind: PhotoKind; width: number; height: number } | { ok: false; message: string }> {
  const kind = sniffPhoto(bytes);
  if (!kind) return { ok: false, message: NOT_AN_IMAGE };
  try {
    const image = sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error', animated: false });
    const meta = await image.metadata();
    // The decoder must agree with the signature (a PNG header on a JPEG body is refused).
    if (meta.format !== kind) return { ok: false, message: NOT_AN_IMAGE };
    let pipeline = image.rotate().resize({ width: PHOTO_MAX_WIDTH, withoutEnlargement: true });
    // sharp writes no metadata unless told to (withMetadata/keepExif): nothing is carried over.
    if (kind === 'jpeg') pipeline = pipeline.jpeg({ quality: 82, mozjpeg: true });
    else if (kind === 'png') pipeline = pipeline.png({ compressionLevel: 9 });
    else pipeline = pipeline.webp({ quality: 80 });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { ok: true, data, kind, width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error && /pixel limit/i.test(error.message)
      ? 'The selected photo is too large in pixels. Use a photo under 50 megapixels'
      : `The selected photo could not be read. It must be a ${PHOTO_TYPES_TEXT}`;
    return { ok: false, message };
  }
}

export function photoRoot(): string {
  return path.resolve(getEnv().DATA_DIR, 'photos');
}

/** The stored file for a SHA-256; throws for anything else, so no path can be smuggled in. */
export function photoPath(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error('Not a SHA-256 hex digest');
  return path.join(photoRoot(), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Processes and stores a photo (outside any transaction: it is file work).
 * Identical results are stored once. The caller then writes sha256 and
 * contentType on its row; a stored photo no row uses is never served, and
 * `npm run jobs` removes it after a day (photo-sweep.server.ts).
 */
export async function storePhoto(bytes: Buffer): Promise<StoredPhoto> {
  const processed = await processPhoto(bytes);
  if (!processed.ok) return processed;
  const sha256 = createHash('sha256').update(processed.data).digest('hex');
  const target = photoPath(sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    // Already stored: mark it fresh, so `npm run jobs` (photo-sweep.server.ts) cannot
    // remove it as unused before the caller writes its row.
    const now = new Date();
    await fs.utimes(target, now, now);
  } catch {
    const tmp = `${target}.${randomUUID()}.part`;
    await fs.writeFile(tmp, processed.data, { mode: 0o640 });
    await fs.rename(tmp, target);
  }
  return { ok: true, sha256, contentType: PHOTO_TYPES[processed.kind].contentType, width: processed.width, height: processed.height };
}

/**
 * The stored photo as a response: its recognised type, nosniff, a sandbox CSP,
 * and `cache` 'public' or 'private' (no-store). 'public' may be stored by any
 * cache but must be revalidated on every use (`no-cache`): the caller decides
 * each time whether the photo may still be seen (an item withdrawn, rejected or
 * sent back to moderation must disappear at once, not after an hour in a shared
 * cache), and a revalidation whose If-None-Match names this photo's hash is a
 * bodiless 304. 404 if the file or type is not a stored photo.
 */
export async function photoResponse(sha256: string, contentType: string, { cache, ifNoneMatch }: { cache: 'public' | 'private'; ifNoneMatch?: string | null }): Promise<Response> {
  if (!SHA256.test(sha256) || !PHOTO_CONTENT_TYPES.includes(contentType)) return new Response('Not found', { status: 404 });
  const etag = `"${sha256}"`;
  const cacheControl = cache === 'public' ? 'public, no-cache' : 'private, no-store';
  if (cache === 'public' && ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers: { 'Cache-Control': cacheControl, ETag: etag } });
  }
  let data: Buffer;
  try {
    data = await fs.readFile(photoPath(sha256));
  } catch {
    return new Response('Not found', { status: 404 });
  }
  return new Response(new Uint8Array(data), {
    status: 200,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(data.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': cacheControl,
      ETag: etag,
    },
  });
}
