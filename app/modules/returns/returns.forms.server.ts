import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { notFound } from '~/auth/guards.server';
import { invalid } from '~/utils/form.server';
import type { StoredFile } from './evidence-limits';
import { parseEvidenceLink } from './evidence-links';
import { discardUnreferenced } from './evidence-store.server';
import { readReturnUpload } from './evidence-upload.server';
import { typedLinks } from './returns.schema';
import type { ReturnResult } from './returns.server';

// What the return routes share: reading a return form (multipart, with evidence
// files streamed to disk by the evidence module) and answering a refusal.

interface Replyable {
  reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]>;
}

type Parsed<S extends z.ZodTypeAny> = {
  ok: true;
  value: z.output<S>;
  submission: Replyable;
  /** The form as sent (for the submission key). */
  fields: FormData;
  files: StoredFile[];
  links: Array<{ url: string; title: string }>;
};

/**
 * Reads the form and its evidence. Whatever is wrong (the upload, a field, a
 * link) comes back as the form's 400 answer, with the typed text kept where the
 * fields could be read and the stored files discarded.
 */
export async function readReturnForm<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<Parsed<S> | { ok: false; response: ReturnType<typeof invalid> }> {
  const upload = await readReturnUpload(request);
  if (!upload.ok) {
    if (upload.fields) {
      // Keep what was typed: the text fields read before the upload was refused.
      const partial = parseWithZod(upload.fields, { schema });
      const reply = upload.field ? partial.reply({ fieldErrors: { [upload.field]: [upload.message] } }) : partial.reply({ formErrors: [upload.message] });
      return { ok: false, response: invalid(reply, upload.status) };
    }
    const result: SubmissionResult<string[]> = { status: 'error', error: { [upload.field]: [upload.message] } };
    return { ok: false, response: invalid(result, upload.status) };
  }
  const { fields, files } = upload;
  const fail = async (reply: SubmissionResult<string[]>) => {
    await discardUnreferenced(getDb(), files);
    return { ok: false as const, response: invalid(reply) };
  };
  const submission = parseWithZod(fields, { schema });
  if (submission.status !== 'success') return fail(submission.reply());

  const links: Array<{ url: string; title: string }> = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const typed of typedLinks(submission.value as Record<string, unknown>)) {
    const parsed = parseEvidenceLink(typed.url, typed.title);
    if (parsed.ok) links.push({ url: parsed.url, title: parsed.title ?? '' });
    else fieldErrors[`link${parsed.field === 'title' ? 'Title' : 'Url'}${typed.n}`] = [parsed.message];
  }
  if (Object.keys(fieldErrors).length) return fail(submission.reply({ fieldErrors }));
  return { ok: true, value: submission.value as z.output<S>, submission, fields, files, links };
}

/** A refusal as the form's answer: by the field (400), or above the form (409: closed, already sent, changed meanwhile). */
export function refusedReturn(submission: Replyable, result: Exclude<ReturnResult, { ok: true }>) {
  switch (result.reason) {
    case 'invalid':
      return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    case 'not-found':
      throw notFound();
    case 'closed':
    case 'locked':
    case 'stale':
      return invalid(submission.reply({ formErrors: [result.message] }), 409);
  }
}
