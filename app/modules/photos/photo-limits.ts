// Photo limits and accepted types. Pure (no server imports): forms import these
// for hint text and the file input's `accept`; the server enforces them in
// photos.server.ts. See docs/wishlist.md ("Photos") and ADR 0017.

/** Largest photo accepted before resizing (as for an evidence file). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Stored photos are at most this wide (never enlarged). */
export const PHOTO_MAX_WIDTH = 1200;
/** Refuse images whose pixel count would make decoding expensive (a "decompression bomb"). */
export const PHOTO_MAX_PIXELS = 50_000_000;
/** Alt text for a photo: required when a photo is given. */
export const PHOTO_ALT_MAX = 250;

export type PhotoKind = 'jpeg' | 'png' | 'webp';

export const PHOTO_TYPES: Record<PhotoKind, { label: string; contentType: string; extensions: readonly string[] }> = {
  jpeg: { label: 'JPEG', contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  png: { label: 'PNG', contentType: 'image/png', extensions: ['.png'] },
  webp: { label: 'WebP', contentType: 'image/webp', extensions: ['.webp'] },
};

export const PHOTO_CONTENT_TYPES: readonly string[] = Object.values(PHOTO_TYPES).map((t) => t.contentType);

/** For the file input's `accept` attribute (a hint only: the server checks the content). */
export const PHOTO_ACCEPT = Object.values(PHOTO_TYPES).flatMap((t) => [...t.extensions, t.contentType]).join(',');

export const PHOTO_TYPES_TEXT = 'JPEG, PNG or WebP image';

export const PHOTO_HINT = `A ${PHOTO_TYPES_TEXT}, up to 10 MB. It is resized to at most ${PHOTO_MAX_WIDTH} pixels wide, and its hidden details (camera, date and location) are removed.`;
