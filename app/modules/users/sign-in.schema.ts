import { z } from 'zod';
import { emailAddress } from '~/utils/schema';

export const signInSchema = z.object({
  email: emailAddress('Enter your email address'),
  password: z.string({ required_error: 'Enter your password' }).min(1, 'Enter your password').max(1000, 'Password must be 1000 characters or fewer'),
  redirectTo: z.string().optional(),
});
