import { z } from 'zod';
import { emailAddress, optionalText, requiredText } from '~/utils/schema';
import { charityNumber, companyNumber, phoneNumber } from './fields.schema';
import { DESCRIPTION_MAX } from './registration.schema';

// A VCSE organisation's public profile, edited by its own users. No server imports.

const WEBSITE_MESSAGE = 'Enter a website address, like https://www.example.org';

/** Optional; a bare address gets https://; only http and https, no user names or passwords. */
export const website = z
  .string({ invalid_type_error: WEBSITE_MESSAGE })
  .trim()
  .max(200, 'Website must be 200 characters or fewer')
  .transform((value, ctx) => {
    if (!value) return undefined;
    const candidate = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
    try {
      const url = new URL(candidate);
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname.includes('.') || /\s/.test(value)) throw new Error('bad');
      return url.toString();
    } catch {
      ctx.addIssue({ code: 'custom', message: WEBSITE_MESSAGE });
      return z.NEVER;
    }
  })
  .optional();

export const profileSchema = z.object({
  name: requiredText('organisation name', 200, 'Enter the name of your organisation'),
  description: requiredText('description', DESCRIPTION_MAX, 'Describe what your organisation does'),
  wardId: z.string({ required_error: 'Select the ward where your organisation mainly works' }).trim().min(1, 'Select the ward where your organisation mainly works').max(100, 'Select the ward where your organisation mainly works'),
  website,
  charityNumber,
  companyNumber,
  contactName: requiredText('contact name', 100, 'Enter the name of the person to contact'),
  contactEmail: emailAddress('Enter the contact email address'),
  contactPhone: phoneNumber,
  version: optionalText('version', 40),
});

export type ProfileForm = z.input<typeof profileSchema>;
export type ProfileInput = z.output<typeof profileSchema>;
