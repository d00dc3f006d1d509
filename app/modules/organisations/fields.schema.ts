import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '~/auth/password-policy';

// Field rules shared by the invitation and registration forms (no server imports).

/** Companies House numbers: 8 characters, all digits (09876543) or a 2-letter prefix and 6 digits (SC123456). */
export const COMPANY_NUMBER = /^(?:\d{8}|[A-Z]{2}\d{6})$/;
/**
 * Charity numbers: England and Wales 6 to 8 digits with an optional -N or -NN
 * suffix for a linked charity (1187654, 1187654-1); Scotland SC + 6 digits;
 * Northern Ireland NIC + 6 digits.
 */
export const CHARITY_NUMBER = /^(?:\d{6,8}(?:-\d{1,2})?|SC\d{6}|NIC\d{6})$/;

const squash = (value: string) => value.replace(/\s+/g, '').toUpperCase();

export const companyNumber = z
  .string()
  .transform(squash)
  .pipe(z.string().regex(COMPANY_NUMBER, 'Enter a company number in the correct format: 8 characters, like 09876543 or SC123456'))
  .optional();

export const charityNumber = z
  .string()
  // People often copy "No. 1187654" from a letterhead.
  .transform((v) => squash(v).replace(/^NO\.?(?=\d)/, ''))
  .pipe(z.string().regex(CHARITY_NUMBER, 'Enter a charity number in the correct format, like 1187654, 1187654-1 or SC012345'))
  .optional();

export const phoneNumber = z
  .string()
  .trim()
  .max(30, 'Telephone number must be 30 characters or fewer')
  .refine((v) => /^\+?[\d\s().-]+$/.test(v), 'Enter a telephone number, like 01632 960 001 or +44 7700 900 982')
  .refine((v) => {
    const digits = v.replace(/\D/g, '').length;
    return digits >= 10 && digits <= 15;
  }, 'Enter a telephone number, like 01632 960 001 or +44 7700 900 982')
  .optional();

/**
 * A new password and its confirmation. Never trimmed: spaces are part of a
 * password. The policy runs on the field itself (so its message shows beside
 * the other fields' ones); checkNewPassword adds the email rule and the match.
 */
export const newPasswordFields = {
  password: z
    .string({ required_error: 'Enter a password' })
    .min(1, 'Enter a password')
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`)
    .superRefine((value, ctx) => {
      const problem = passwordProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  confirmPassword: z.string({ required_error: 'Enter your password again' }).max(PASSWORD_MAX_LENGTH + 1, 'Enter the same password twice'),
};

/** The rules needing both fields (or the email): over an object holding both. */
export function checkNewPassword(value: { password: string; confirmPassword: string }, email: string | undefined, ctx: z.RefinementCtx): void {
  if (passwordProblem(value.password)) return;
  const problem = passwordProblem(value.password, email);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  else if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match. Enter the same password twice' });
  }
}

export const PASSWORD_HINT = 'Use 12 characters or more. A few unrelated words together make a strong password that is easy to remember.';
