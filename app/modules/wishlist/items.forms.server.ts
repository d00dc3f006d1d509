import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { notFound } from '~/auth/guards.server';
import { readPhotoUpload, storePhoto } from '~/modules/photos/photos.server';
import { invalid } from '~/utils/form.server';
import { itemSchema, type ItemInput } from './items.schema';
import type { ItemResult, PhotoChange } from './items.server';

// What the add and edit routes share: reading the item form (multipart, with
// an optional photo, stored only once every field is valid) and answering a refusal.

interface Replyable {
  reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]>;
}

export type ItemFormRead =
  | { ok: true; value: ItemInput; submission: Replyable; fields: FormData; photo: PhotoChange }
  | { ok: false; response: ReturnType<typeof invalid> };

export async function readItemForm(request: Request): Promise<ItemFormRead> {
  const upload = await readPhotoUpload(request);
  if (!upload.ok) {
    const partial = parseWithZod(upload.fields, { schema: itemSchema });
    const reply = upload.field ? partial.reply({ fieldErrors: { [upload.field]: [upload.message] } }) : partial.reply({ formErrors: [upload.message] });
    return { ok: false, response: invalid(reply, upload.status) };
  }
  const submission = parseWithZod(upload.fields, { schema: itemSchema });
  if (submission.status !== 'success') {
    // The photo is not kept: the browser cannot fill a file input again, so say so.
    const fieldErrors = upload.photo ? { photo: ['Select the photo again'] } : undefined;
    const reply = submission.reply();
    return { ok: false, response: invalid(fieldErrors ? { ...reply, error: { ...reply.error, ...fieldErrors } } : reply) };
  }
  if (upload.photo && !submission.value.photoAlt) {
    return { ok: false, response: invalid(submission.reply({ fieldErrors: { photoAlt: ['Describe the photo for people who cannot see it'], photo: ['Select the photo again'] } })) };
  }
  let photo: PhotoChange = { uploaded: null };
  if (upload.photo) {
    const stored = await storePhoto(upload.photo.bytes);
    if (!stored.ok) return { ok: false, response: invalid(submission.reply({ fieldErrors: { photo: [stored.message] } }), 415) };
    photo = { uploaded: { sha256: stored.sha256, contentType: stored.contentType } };
  }
  return { ok: true, value: submission.value, submission, fields: upload.fields, photo };
}

/** A refusal from the item services as the form's answer (a photo that was sent must be selected again). */
export function refusedItem(submission: Replyable, result: Exclude<ItemResult, { ok: true }>, photoSent = false) {
  switch (result.reason) {
    case 'not-found':
      throw notFound();
    case 'invalid':
      return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message], ...(photoSent && result.field !== 'photo' ? { photo: ['Select the photo again'] } : {}) } }));
    case 'conflict':
    case 'unverified':
      return invalid(submission.reply({ formErrors: [result.message] }), 409);
  }
}
