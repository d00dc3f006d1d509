import { parseWithZod } from '@conform-to/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emailAddress, optionalText, requiredText } from './schema';

// Forms are posted by people and by anything else: a field sent twice, or a file
// where text belongs, must get a message a person can act on, never zod's own words.
const schema = z.object({
  organisationName: requiredText('organisation name', 200, 'Enter the name of your organisation'),
  reason: optionalText('reason', 500),
  email: emailAddress('Enter your email address'),
});

function errorsFor(entries: [string, string | File][]) {
  const formData = new FormData();
  for (const [name, value] of entries) formData.append(name, value);
  const submission = parseWithZod(formData, { schema });
  if (submission.status === 'success') throw new Error('expected the form to be refused');
  return submission.reply().error;
}

const good: [string, string][] = [['organisationName', 'Castle Food Bank'], ['reason', 'Because'], ['email', 'a@example.org']];

describe('text fields sent as something other than one piece of text', () => {
  it('says the field must be text when a field is repeated', () => {
    const error = errorsFor([...good, ['organisationName', 'Second name'], ['reason', 'Again'], ['email', 'b@example.org']]);
    expect(error).toEqual({
      organisationName: ['Organisation name must be text'],
      reason: ['Reason must be text'],
      email: ['Email address must be text'],
    });
  });

  it('says the field must be text when a file is sent in it', () => {
    const file = new File(['not text'], 'upload.txt', { type: 'text/plain' });
    const error = errorsFor([['organisationName', file], ['reason', file], ['email', file]]);
    expect(error).toEqual({
      organisationName: ['Organisation name must be text'],
      reason: ['Reason must be text'],
      email: ['Email address must be text'],
    });
  });

  it('keeps the usual messages for a missing or well-formed field', () => {
    expect(errorsFor([['reason', 'x'.repeat(501)]])).toEqual({
      organisationName: ['Enter the name of your organisation'],
      reason: ['Reason must be 500 characters or fewer'],
      email: ['Enter your email address'],
    });
    expect(schema.safeParse({ organisationName: ' Castle ', email: 'A@Example.org' }).data).toEqual({ organisationName: 'Castle', email: 'a@example.org' });
  });
});
