import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { charityNumber, checkNewPassword, companyNumber, newPasswordFields, phoneNumber } from './fields.schema';

const parse = (schema: z.ZodTypeAny, value: unknown) => schema.safeParse(value);

describe('charityNumber', () => {
  it.each([
    ['1187654', '1187654'], ['1 187 654', '1187654'], ['1187654-1', '1187654-1'], ['1187654-12', '1187654-12'],
    ['210198', '210198'], ['No. 1187654', '1187654'], ['sc012345', 'SC012345'], ['NIC100002', 'NIC100002'],
  ])('accepts %s as %s', (typed, stored) => {
    expect(parse(charityNumber, typed)).toMatchObject({ success: true, data: stored });
  });
  it.each(['12345', '123456789', '1187654-123', 'ABC', '1187654/1', '<script>'])('refuses %s', (typed) => {
    expect(parse(charityNumber, typed).success).toBe(false);
  });
  it('is optional', () => expect(parse(charityNumber, undefined)).toMatchObject({ success: true }));
});

describe('companyNumber', () => {
  it.each([['09876543', '09876543'], ['sc123456', 'SC123456'], ['SC 123 456', 'SC123456'], ['CE012345', 'CE012345']])('accepts %s as %s', (typed, stored) => {
    expect(parse(companyNumber, typed)).toMatchObject({ success: true, data: stored });
  });
  it.each(['9876543', '098765432', 'S1234567', '1234ABCD'])('refuses %s', (typed) => {
    expect(parse(companyNumber, typed).success).toBe(false);
  });
});

describe('phoneNumber', () => {
  it.each(['01632 960 001', '+44 7700 900 982', '(01632) 960001'])('accepts %s', (typed) => expect(parse(phoneNumber, typed).success).toBe(true));
  it.each(['12', 'call me', '0'.repeat(31)])('refuses %s', (typed) => expect(parse(phoneNumber, typed).success).toBe(false));
});

describe('new password', () => {
  const schema = (email?: string) => z.object(newPasswordFields).superRefine((v, ctx) => checkNewPassword(v, email, ctx));
  const errors = (result: z.SafeParseReturnType<unknown, unknown>) => (result.success ? {} : result.error.flatten().fieldErrors);
  it('needs the policy, the confirmation, and no email address inside', () => {
    expect(errors(schema().safeParse({ password: 'short', confirmPassword: 'short' }))).toEqual({ password: ['Password must be 12 characters or more'] });
    expect(errors(schema().safeParse({ password: 'a-long-password-77', confirmPassword: 'a-long-password-78' }))).toEqual({
      confirmPassword: ['The passwords do not match. Enter the same password twice'],
    });
    expect(errors(schema('tombaker@example.org').safeParse({ password: 'tombaker-is-here-1', confirmPassword: 'tombaker-is-here-1' }))).toEqual({
      password: ['Password must not contain your email address'],
    });
    expect(schema().safeParse({ password: 'a-long-password-77', confirmPassword: 'a-long-password-77' }).success).toBe(true);
  });
});
