import { z } from 'zod';
import { emailAddress, optionalText, requiredText } from '~/utils/schema';
import { checkNewPassword, companyNumber, newPasswordFields } from './fields.schema';

/** The organisation select's value for "A new organisation". */
export const NEW_ORGANISATION = 'new';

export const createInvitationSchema = z
  .object({
    email: emailAddress('Enter the email address of the person you are inviting'),
    name: requiredText('their name', 100, 'Enter the name of the person you are inviting'),
    organisationId: z
      .string({ required_error: 'Select their organisation, or choose a new organisation' })
      .max(100, 'Select their organisation, or choose a new organisation'),
    organisationName: optionalText('organisation name', 200),
    companyNumber,
  })
  .superRefine((value, ctx) => {
    if (value.organisationId === NEW_ORGANISATION && !value.organisationName) {
      ctx.addIssue({ code: 'custom', path: ['organisationName'], message: 'Enter the name of the new organisation' });
    }
  });

export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

/** Accepting an invitation: the password policy needs the invited email address. */
export const acceptInvitationSchema = (email?: string) =>
  z
    .object({ name: requiredText('your name', 100, 'Enter your name'), ...newPasswordFields })
    .superRefine((value, ctx) => checkNewPassword(value, email, ctx));

export const revokeInvitationSchema = z.object({
  intent: z.literal('revoke'),
  invitationId: z.string().min(1).max(100),
});
