import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { parseSource, sourceParam, storySchema, type StoryForm } from '~/modules/stories/stories.schema';
import { createStory } from '~/modules/stories/stories.server';
import { findStoryForSource, findStorySource } from '~/modules/stories/story-queries.server';
import { StoryFields } from '~/modules/stories/story-ui';
import { onceFrom } from '~/modules/submissions/once.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Draft a story' };

// Drafts a story from ?source=progress_return:<id> or pledge:<id> (an approved
// return, or a delivered or confirmed pledge). A source that already has a
// story leads to it; anything else is a 404.
async function requireSource(value: string | null) {
  const source = parseSource(value);
  const found = source ? await findStorySource(getDb(), source) : undefined;
  if (!source || !found) throw notFound('There is no approved return or delivered pledge to draft a story from here.');
  const existing = await findStoryForSource(getDb(), source);
  if (existing) throw redirect(`/officer/stories/${existing.id}`, 303);
  return found;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'story:manage');
  const found = await requireSource(new URL(request.url).searchParams.get('source'));
  return { source: sourceParam(found), label: found.label, link: found.link, title: found.title, body: found.body, submissionKey: randomUUID() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'story:manage');
  const form = await readForm(request);
  const found = await requireSource(new URL(request.url).searchParams.get('source') ?? String(form.get('source') ?? ''));
  const submission = parseWithZod(form, { schema: storySchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await createStory(getDb(), found, submission.value, auditActor(user, context), onceFrom(form, user.id));
  if (result.ok) return redirect(`/officer/stories/${result.id}?done=created`, 303);
  switch (result.reason) {
    case 'exists':
      return redirect(`/officer/stories/${result.id}`, 303);
    case 'invalid':
      return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    default:
      throw notFound();
  }
}

export default function NewStory() {
  const { source, label, link, title, body, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<StoryForm>({ lastResult, defaultValue: { title, body } });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ title: fields.title, body: fields.body, consentNote: fields.consentNote, consentDate: fields.consentDate }} />
        <Link className="govuk-back-link" to="/officer/stories">Back to stories</Link>
        <h1 className="govuk-heading-l">Draft a story</h1>
        <p className="govuk-body">From: <Link className="govuk-link" to={link}>{label}</Link>. The title and text start from what the contractor wrote: rewrite them for residents.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <SubmissionKey value={submissionKey} />
          <input type="hidden" name="source" value={source} />
          <StoryFields fields={fields} />
          <SubmitButton>Save draft</SubmitButton>
        </Form>
        <p className="govuk-body">You can add a photo and publish the story once the draft is saved.</p>
      </div>
    </div>
  );
}
