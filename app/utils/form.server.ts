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
