import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { londonToday } from '~/modules/contracts/dates';
import { newNewsletterSchema, quarterChoices } from '~/modules/newsletters/newsletters.schema';
import { createNewsletter, listNewsletters } from '~/modules/newsletters/newsletters.server';
import { onceFrom } from '~/modules/submissions/once.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Build a newsletter' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'newsletter:manage');
  const existing = new Map((await listNewsletters(getDb())).map((n) => [n.periodStart, n.id]));
  const choices = quarterChoices(londonToday());
  return {
    options: choices.filter((q) => !existing.has(q.start)).map((q) => ({ value: q.start, label: q.label })),
    built: choices.filter((q) => existing.has(q.start)).map((q) => ({ label: q.label, id: existing.get(q.start)! })),
    submissionKey: randomUUID(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'newsletter:manage');
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: newNewsletterSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  // Only the quarters the page offers: not a future quarter, nor one older than the list.
  if (!quarterChoices(londonToday()).some((q) => q.start === submission.value.quarter)) {
    return invalid(submission.reply({ fieldErrors: { quarter: ['Select a quarter from the list'] } }));
  }
  const result = await createNewsletter(getDb(), submission.value.quarter, auditActor(user, context), onceFrom(form, user.id));
  if (result.ok) return redirect(`/officer/newsletters/${result.id}?done=created`, 303);
  // The quarter already has one (built in another tab): open it.
  if (result.reason === 'conflict' && result.id) return redirect(`/officer/newsletters/${result.id}`, 303);
  return invalid(submission.reply({ fieldErrors: { quarter: ['Select a quarter from the list'] } }));
}

export default function NewNewsletter() {
  const { options, built, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<{ quarter: string }>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ quarter: fields.quarter }} />
        <Link className="govuk-back-link" to="/officer/newsletters">Back to newsletters</Link>
        <h1 className="govuk-heading-l">Build a newsletter</h1>
        {options.length === 0 ? <p className="govuk-body">Every recent quarter already has a newsletter.</p> : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <SubmissionKey value={submissionKey} />
            <RadiosField field={fields.quarter} legend="Which quarter is it for?" hint="It starts with every story published in that quarter. You can choose and order them next." options={options} />
            <SubmitButton>Continue</SubmitButton>
          </Form>
        )}
        {built.length ? (
          <>
            <h2 className="govuk-heading-m">Already built</h2>
            <ul className="govuk-list">
              {built.map((b) => <li key={b.id}><Link className="govuk-link" to={`/officer/newsletters/${b.id}`}>{b.label}</Link></li>)}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
