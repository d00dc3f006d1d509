import { z } from 'zod';

// Control characters other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// Field rules shared by the forms' zod schemas (no server imports here).
// conform turns an empty field into undefined, so `required` messages come from required_error.
// A field sent twice (an array) or a file sent in a text field gets invalid_type_error,
// a message for people, instead of zod's "Expected string, received array".

const notText = (label: string) => `${capitalise(label)} must be text`;

export const requiredText = (label: string, max: number, message = `Enter ${label}`) =>
  z
    .string({ required_error: message, invalid_type_error: notText(label) })
    .trim()
    .min(1, message)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .refine((v) => !CONTROL.test(v), `${capitalise(label)} must not contain control characters`);

export const optionalText = (label: string, max: number) =>
  z
    .string({ invalid_type_error: notText(label) })
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .refine((v) => !CONTROL.test(v), `${capitalise(label)} must not contain control characters`)
    .optional();

export const emailAddress = (message = 'Enter an email address') =>
  z
    .string({ required_error: message, invalid_type_error: notText('email address') })
    .trim()
    .min(1, message)
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.org')
    .transform((v) => v.toLowerCase());

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
