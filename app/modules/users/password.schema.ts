import { z } from 'zod';
import { passwordProblem } from '~/auth/password-policy';
import { emailAddress } from '~/utils/schema';

// Forms for changing and resetting a password (no server imports: shared with the page).
// Passwords are never trimmed. The policy check here runs without the email;
// the services check again with it (a password must not contain the address).

const MAX_TYPED = 1000;

const typedPassword = (required: string, label: string) =>
  z.string({ required_error: required }).min(1, required).max(MAX_TYPED, `${label} must be ${MAX_TYPED} characters or fewer`);

const newPasswordField = (required: string) =>
  typedPassword(required, 'Password').superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const PASSWORDS_DIFFER = 'The passwords do not match. Enter the same new password twice';
export const SAME_AS_CURRENT = 'Your new password must be different from your current password';

export const changePasswordSchema = z
  .object({
    currentPassword: typedPassword('Enter your current password', 'Current password'),
    newPassword: newPasswordField('Enter a new password'),
    confirmPassword: typedPassword('Confirm your new password', 'Confirm new password'),
  })
  .superRefine((value, ctx) => {
    if (value.newPassword !== value.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: PASSWORDS_DIFFER });
    if (value.newPassword === value.currentPassword) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: SAME_AS_CURRENT });
  });

export const forgotPasswordSchema = z.object({
  email: emailAddress('Enter your email address'),
});

export const resetPasswordSchema = z
  .object({
    password: newPasswordField('Enter a new password'),
    confirmPassword: typedPassword('Confirm your new password', 'Confirm new password'),
  })
  .superRefine((value, ctx) => {
    if (value.password !== value.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: PASSWORDS_DIFFER });
  });

/** A reset token as we issue them (base64url); anything else is refused before a lookup. */
export const RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,128}$/;
