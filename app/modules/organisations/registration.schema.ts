import { z } from 'zod';
import { emailAddress, requiredText } from '~/utils/schema';
import { charityNumber, checkNewPassword, companyNumber, newPasswordFields, phoneNumber } from './fields.schema';

export const DESCRIPTION_MAX = 1000;

export const registrationSchema = z
  .object({
    organisationName: requiredText('organisation name', 200, 'Enter the name of your organisation'),
    charityNumber,
    companyNumber,
    wardId: z
      .string({ required_error: 'Select the ward where your organisation mainly works' })
      .max(100, 'Select the ward where your organisation mainly works'),
    description: requiredText('description', DESCRIPTION_MAX, 'Describe what your organisation does'),
    name: requiredText('your name', 100, 'Enter your full name'),
    email: emailAddress('Enter your email address'),
    phone: phoneNumber,
    ...newPasswordFields,
  })
  .superRefine((value, ctx) => checkNewPassword(value, value.email, ctx));

export type RegistrationInput = z.infer<typeof registrationSchema>;
