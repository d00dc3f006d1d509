import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, TextField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { dateParts } from '~/modules/contracts/dates';
import { PHOTO_ACCEPT, PHOTO_HINT } from '~/modules/photos/photo-limits';
import { readPhotoUpload, storePhoto } from '~/modules/photos/photos.server';
import { photoAltSchema, storySchema, type StoryForm } from '~/modules/stories/stories.schema';
import { publishStory, removeStoryPhoto, setStoryPhoto, unpublishStory, updateStory, type StoryResult } from '~/modules/stories/stories.server';
import { findStory } from '~/modules/stories/story-queries.server';
import { StoryFields, StoryStatusTag } from '~/modules/stories/story-ui';
import { formatDate } from '~/utils/time';

export const handle = { title: (d: unknown) => (d as { story?: { title: string } } | undefined)?.story?.title ?? 'Story' };

const DONE: Record<string, string> = { created: 'Draft saved', saved: 'Story saved', published: 'Story published', unpublished: 'Story unpublished: it is no longer on the public pages', photo: 'Photo saved', 'photo-removed': 'Photo removed' };

async function requireStory(storyId: string | undefined) {
  const story = storyId ? await findStory(getDb(), storyId.slice(0, 100)) : undefined;
  if (!story) throw notFound();
  return story;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'story:manage');
  const s = await requireStory(params.storyId);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  return {
    story: {
      id: s.id, title: s.title, body: s.body, status: s.status, version: s.updatedAt, consentNote: s.consentNote, consentDate: dateParts(s.consentDate),
      consentOn: formatDate(s.consentDate), published: s.publishedAt ? formatDate(s.publishedAt) : null,
      belongsTo: [s.contractReference ? `${s.contractReference}: ${s.contractTitle}` : null, s.organisationName].filter(Boolean).join(', '),
      source: s.sourceType === 'progress_return' ? { label: 'Progress return', href: `/returns/${s.sourceId}` } : { label: 'Pledge', href: `/pledges/${s.sourceId}` },
      photo: s.photoSha256 ? { src: `/stories/${s.id}/photo?v=${s.photoSha256.slice(0, 16)}`, alt: s.photoAlt ?? '' } : null,
    },
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
  };
}

type Intent = 'save' | 'photo';
const reply = (intent: Intent, result: SubmissionResult<string[]>, status = 400) => data({ intent, result }, { status });
const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

function outcome(result: StoryResult, id: string, done: string) {
  if (result.ok) return redirect(`/officer/stories/${id}?done=${done}`, 303);
  if (result.reason === 'conflict') throw conflict(result.message);
  throw notFound();
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'story:manage');
  const story = await requireStory(params.storyId);
  const actor = auditActor(user, context);
  const db = getDb();
  const upload = await readPhotoUpload(request);
  if (!upload.ok) {
    if (upload.field !== 'photo') throw new Response(upload.message, { status: upload.status });
    return reply('photo', parseWithZod(upload.fields, { schema: photoAltSchema }).reply({ fieldErrors: { photo: [upload.message] } }), upload.status);
  }
  const form = upload.fields;
  switch (form.get('intent')) {
    case 'save': {
      const submission = parseWithZod(form, { schema: storySchema });
      if (submission.status !== 'success') return reply('save', submission.reply());
      const result = await updateStory(db, story.id, submission.value, actor);
      if (!result.ok && result.reason === 'invalid') return reply('save', submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
      return outcome(result, story.id, 'saved');
    }
    case 'publish':
      return outcome(await publishStory(db, story.id, actor), story.id, 'published');
    case 'unpublish':
      return outcome(await unpublishStory(db, story.id, actor), story.id, 'unpublished');
    case 'photo': {
      const submission = parseWithZod(form, { schema: photoAltSchema });
      if (!upload.photo) return reply('photo', submission.reply({ fieldErrors: { photo: ['Select a photo'] } }));
      if (submission.status !== 'success') return reply('photo', submission.reply());
      const stored = await storePhoto(upload.photo.bytes);
      if (!stored.ok) return reply('photo', submission.reply({ fieldErrors: { photo: [stored.message] } }), 415);
      return outcome(await setStoryPhoto(db, story.id, { sha256: stored.sha256, contentType: stored.contentType, alt: submission.value.photoAlt }, actor), story.id, 'photo');
    }
    case 'remove-photo':
      return outcome(await removeStoryPhoto(db, story.id, actor), story.id, 'photo-removed');
    default:
      throw new Response('Choose an action on the story’s page.', { status: 400 });
  }
}

export default function EditStory() {
  const { story, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<StoryForm>({
    id: 'story', lastResult: actionData?.intent === 'save' ? actionData.result : undefined,
    defaultValue: { title: story.title, body: story.body, consentNote: story.consentNote, consentDate: story.consentDate },
  });
  const [photoForm, photoFields] = useForm<{ photoAlt: string; photo: string }>({ id: 'photo', lastResult: actionData?.intent === 'photo' ? actionData.result : undefined });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done ? <SuccessBanner heading={done} headingElement="p" /> : null}
        <FormErrorSummary form={form} fields={{ title: fields.title, body: fields.body, consentNote: fields.consentNote, consentDate: fields.consentDate }} />
        <FormErrorSummary form={photoForm} fields={{ photo: photoFields.photo, photoAlt: photoFields.photoAlt }} />
        <Link className="govuk-back-link" to="/officer/stories">Back to stories</Link>
        <span className="govuk-caption-l">Story</span>
        <h1 className="govuk-heading-l">{story.title}</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Status</dt><dd className="govuk-summary-list__value"><StoryStatusTag status={story.status} />{story.published ? ` First published ${story.published}` : ''}</dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Belongs to</dt><dd className="govuk-summary-list__value">{story.belongsTo}</dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Drafted from</dt><dd className="govuk-summary-list__value">{story.source.href ? <Link className="govuk-link" to={story.source.href}>{story.source.label}</Link> : story.source.label}</dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Consent</dt><dd className="govuk-summary-list__value">{story.consentNote} ({story.consentOn})</dd></div>
        </dl>

        {story.status === 'published' ? (
          <Form method="post">
            <p className="govuk-body">This story is on the <Link className="govuk-link" to={`/stories/${story.id}`}>public stories page</Link>.</p>
            <SubmitButton name="intent" value="unpublish" variant="warning">Unpublish story</SubmitButton>
          </Form>
        ) : (
          <Form method="post">
            <p className="govuk-body">{story.status === 'draft' ? 'Only council staff can see this draft.' : 'This story was unpublished: only council staff can see it.'} Publishing puts it on the public stories page and on its contract’s page.</p>
            <SubmitButton name="intent" value="publish">Publish story</SubmitButton>
          </Form>
        )}

        <h2 className="govuk-heading-m">Photo</h2>
        {story.photo ? (
          <Form method="post">
            <img className="app-story-photo" src={story.photo.src} alt={story.photo.alt} />
            <p className="govuk-body">Description: {story.photo.alt}</p>
            <SubmitButton name="intent" value="remove-photo" variant="secondary">Remove photo</SubmitButton>
          </Form>
        ) : <p className="govuk-body">No photo.</p>}
        <Form method="post" encType="multipart/form-data" {...getFormProps(photoForm)} noValidate>
          <div className={`govuk-form-group${photoFields.photo.errors ? ' govuk-form-group--error' : ''}`}>
            <label className="govuk-label" htmlFor={photoFields.photo.id}>{story.photo ? 'Replace the photo' : 'Upload a photo'}</label>
            <div className="govuk-hint" id={`${photoFields.photo.id}-hint`}>{PHOTO_HINT}</div>
            {photoFields.photo.errors ? <p className="govuk-error-message" id={photoFields.photo.errorId}><span className="govuk-visually-hidden">Error:</span> {photoFields.photo.errors[0]}</p> : null}
            <input className="govuk-file-upload" id={photoFields.photo.id} name="photo" type="file" accept={PHOTO_ACCEPT}
              aria-describedby={[`${photoFields.photo.id}-hint`, photoFields.photo.errors ? photoFields.photo.errorId : null].filter(Boolean).join(' ')} />
          </div>
          <TextField field={photoFields.photoAlt} label="Describe the photo for people who cannot see it" hint="Required with a photo. For example, “Two apprentices in hard hats at the Eastfield depot”." />
          <SubmitButton name="intent" value="photo" variant="secondary">Save photo</SubmitButton>
        </Form>

        <h2 className="govuk-heading-m">Edit the story</h2>
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="version" value={story.version} />
          <StoryFields fields={fields} />
          <SubmitButton name="intent" value="save">Save story</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
