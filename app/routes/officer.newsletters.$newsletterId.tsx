import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, TextareaField, TextField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { emailText, sendNewsletter } from '~/modules/newsletters/newsletter-send.server';
import { NewsletterBody } from '~/modules/newsletters/newsletter-ui';
import { newsletterView } from '~/modules/newsletters/newsletter-view.server';
import { chosenStories, NEWSLETTER_LIMITS, newsletterSchema } from '~/modules/newsletters/newsletters.schema';
import { findNewsletter, newsletterRecipients, offeredStories, sentMessage, updateNewsletter } from '~/modules/newsletters/newsletters.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: (d: unknown) => (d as { newsletter?: { title: string } } | undefined)?.newsletter?.title ?? 'Newsletter' };

const DONE: Record<string, string> = { created: 'Newsletter started with the quarter’s published stories', saved: 'Newsletter saved', sent: 'Newsletter sent' };
const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

async function requireNewsletter(newsletterId: string | undefined) {
  const n = newsletterId ? await findNewsletter(getDb(), newsletterId.slice(0, 100)) : undefined;
  if (!n) throw notFound();
  return n;
}

// Edit (title, introduction, which stories and in what order), preview (the web
// page and the email as sent), and send after a confirmation step. Once sent, read only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'newsletter:manage');
  const n = await requireNewsletter(params.newsletterId);
  const db = getDb();
  const url = new URL(request.url);
  const [{ view, content }, offered, recipients] = await Promise.all([newsletterView(db, n), offeredStories(db, n), newsletterRecipients(db)]);
  const done = url.searchParams.get('done') ?? '';
  return {
    newsletter: { id: n.id, title: n.title, introduction: n.introduction, sent: n.status === 'sent', sentBy: n.sentByName },
    offered: offered.map((s) => ({ id: s.id, title: s.title, published: s.publishedAt ? formatDate(s.publishedAt) : '', position: s.position })),
    view,
    email: emailText(n, content, 'contractor'),
    recipients: recipients.length,
    confirming: url.searchParams.get('confirm') === 'send' && n.status === 'draft',
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
    sentAt: n.sentAt ? formatDate(n.sentAt) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'newsletter:manage');
  const n = await requireNewsletter(params.newsletterId);
  const form = await readForm(request);
  if (n.status !== 'draft') throw conflict(sentMessage(n));
  const actor = auditActor(user, context);
  if (form.get('intent') === 'send') {
    const result = await sendNewsletter(getDb(), n.id, actor);
    if (result.ok) return redirect(`/officer/newsletters/${n.id}?done=sent`, 303);
    if (result.reason === 'conflict') throw conflict(result.message);
    if (result.reason === 'empty') return invalid({ status: 'error', error: { '': [result.message] } }, 422);
    throw notFound();
  }
  const submission = parseWithZod(form, { schema: newsletterSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const offered = await offeredStories(getDb(), n);
  const { ids, problem } = chosenStories(form, offered.map((s) => s.id));
  // The order boxes' problem goes by the stories, and the summary links to the first box.
  if (problem) return invalid(submission.reply({ fieldErrors: { stories: [problem] } }));
  const result = await updateNewsletter(getDb(), n.id, submission.value, ids, actor);
  if (result.ok) return redirect(`/officer/newsletters/${n.id}?done=saved`, 303);
  if (result.reason === 'conflict') throw conflict(result.message);
  throw notFound();
}

export default function EditNewsletter() {
  const { newsletter, offered, view, email, recipients, confirming, done, sentAt } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<{ title: string; introduction: string; stories: string }>({ lastResult, defaultValue: { title: newsletter.title, introduction: newsletter.introduction } });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done ? <SuccessBanner heading={done} headingElement="p" /> : null}
        <FormErrorSummary form={form} fields={{ title: fields.title, introduction: fields.introduction, stories: fields.stories }} />
        <Link className="govuk-back-link" to="/officer/newsletters">Back to newsletters</Link>
        <span className="govuk-caption-l">{view.periodLabel}</span>
        <h1 className="govuk-heading-l">{newsletter.sent ? 'Sent newsletter' : 'Build the newsletter'}</h1>
        {newsletter.sent ? (
          <div className="govuk-inset-text">
            This newsletter was sent{newsletter.sentBy ? ` by ${newsletter.sentBy}` : ''}{sentAt ? ` on ${sentAt}` : ''}. It is on the <Link className="govuk-link" to={`/newsletters/${newsletter.id}`}>public newsletter page</Link>.
          </div>
        ) : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <TextField field={fields.title} label="Title" hint={`${NEWSLETTER_LIMITS.title} characters or fewer. It is also the email’s subject.`} />
            <TextareaField field={fields.introduction} label="Introduction (optional)" hint="A few words from the council. Leave a blank line between paragraphs." rows={5} />
            <div className={`govuk-form-group${fields.stories.errors ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" aria-describedby={['stories-hint', fields.stories.errors ? fields.stories.errorId : null].filter(Boolean).join(' ')}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Stories</legend>
                <div className="govuk-hint" id="stories-hint">Stories published in this quarter. Tick the ones to include and number them in the order they should appear (1 first).</div>
                {fields.stories.errors ? <p className="govuk-error-message" id={fields.stories.errorId}><span className="govuk-visually-hidden">Error:</span> {fields.stories.errors[0]}</p> : null}
                {offered.length === 0 ? <p className="govuk-body">No stories were published in this quarter. <Link className="govuk-link" to="/officer/stories">Publish a story</Link> first.</p> : (
                  <div className="govuk-checkboxes govuk-checkboxes--small">
                    {offered.map((s, i) => (
                      <div className="govuk-checkboxes__item" key={s.id}>
                        <input className="govuk-checkboxes__input" id={`story-${i}`} name="story" type="checkbox" value={s.id} defaultChecked={s.position !== null} />
                        <label className="govuk-label govuk-checkboxes__label" htmlFor={`story-${i}`}>{s.title} <span className="govuk-hint govuk-!-display-inline">(published {s.published})</span></label>
                        <div className="govuk-!-margin-left-3 govuk-!-margin-bottom-2">
                          <label className="govuk-label govuk-!-display-inline govuk-!-margin-right-2" htmlFor={i === 0 ? fields.stories.id : `position-${i}`}>Order<span className="govuk-visually-hidden"> of {s.title}</span></label>
                          <input className={`govuk-input app-newsletter-order${fields.stories.errors ? ' govuk-input--error' : ''}`} id={i === 0 ? fields.stories.id : `position-${i}`} name={`position.${s.id}`} inputMode="numeric" defaultValue={s.position ?? ''} />
                        </div>
                      </div>
                    ))}
                  </div>
                )}
              </fieldset>
            </div>
            <SubmitButton name="intent" value="save">Save newsletter</SubmitButton>
          </Form>
        )}

        <h2 className="govuk-heading-l">Preview</h2>
        <p className="govuk-body">The web page{newsletter.sent ? '' : ' (figures as they are today; they are fixed when you send)'}:</p>
        <div className="govuk-inset-text"><NewsletterBody n={view} headingLevel={2} /></div>
        <h2 className="govuk-heading-m">The email</h2>
        <p className="govuk-body">Each recipient gets this plain-text email, followed by a link to the web page.</p>
        <pre className="app-email-preview" data-testid="email-preview">{email}</pre>

        {newsletter.sent ? null : (
          <section id="send" aria-labelledby="send-heading">
            <h2 className="govuk-heading-m" id="send-heading">Send</h2>
            {confirming ? (
              <Form method="post">
                <div className="govuk-warning-text">
                  <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
                  <strong className="govuk-warning-text__text"><span className="govuk-visually-hidden">Warning</span>Send this newsletter to {recipients} {recipients === 1 ? 'person' : 'people'}? It cannot be changed or sent again afterwards. Save any changes first.</strong>
                </div>
                <div className="govuk-button-group">
                  <SubmitButton name="intent" value="send" variant="warning">Yes, send it now</SubmitButton>
                  <Link className="govuk-link" to={`/officer/newsletters/${newsletter.id}`}>Cancel</Link>
                </div>
              </Form>
            ) : (
              <>
                <p className="govuk-body">It goes to {recipients} {recipients === 1 ? 'person' : 'people'}: every active contractor user and everyone who asked for it in their account.</p>
                <Link className="govuk-button govuk-button--secondary" to={`/officer/newsletters/${newsletter.id}?confirm=send#send`}>Send newsletter</Link>
              </>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
