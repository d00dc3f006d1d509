import { data } from '@remix-run/node';
import type { SubmissionResult } from '@conform-to/react';

/** Name of the hidden field bots fill in (see <Honeypot />). */
export const HONEYPOT_FIELD = 'website_url';

export function isHoneypotFilled(formData: FormData): boolean {
  const value = formData.get(HONEYPOT_FIELD);
  return typeof value === 'string' && value.length > 0;
}

/** A failed submission: the GOV.UK error summary renders from it; status 400. */
export function invalid(result: SubmissionResult<string[]>, status = 400) {
  return data(result, { status });
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The submitted form, or a 4xx for anything a browser form would never send
 * (JSON, a wrong content type, a malformed body): never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get('Content-Type') ?? '')) {
    throw new Response('Send this form from its page in the portal.', { status: 415, statusText: 'Unsupported Media Type' });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response('The form could not be read. Go back and try again.', { status: 400, statusText: 'Bad Request' });
  }
}
