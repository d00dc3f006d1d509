import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { penceToInput } from '~/modules/contracts/figures';
import { MeasureFields, measureSummaryFields } from '~/modules/measures/measure-fields';
import { measureFormSchema, measureStatusSchema } from '~/modules/measures/measures.schema';
import { STALE_MESSAGE, countCommitmentsForMeasure, findMeasure, listThemes, setMeasureActive, updateMeasure } from '~/modules/measures/measures.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Edit measure' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  const db = getDb();
  const measure = await findMeasure(db, params.measureId ?? '');
  if (!measure) throw notFound();
  return {
    measure: {
      id: measure.id, code: measure.code, theme: measure.theme, outcome: measure.outcome, title: measure.title, unit: measure.unit,
      proxyValue: penceToInput(measure.proxy_value_pence), frameworkYear: String(measure.framework_year),
      active: measure.active === 1, isDemo: measure.is_demo === 1, version: measure.updated_at,
    },
    commitments: await countCommitmentsForMeasure(db, measure.id),
    themes: await listThemes(db),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'measure:manage');
  const measureId = params.measureId ?? '';
  const formData = await readForm(request);
  const actor = auditActor(user, context);

  const intent = formData.get('intent');
  if (intent === 'retire' || intent === 'reactivate') {
    const parsed = measureStatusSchema.safeParse({ intent, version: formData.get('version') });
    if (!parsed.success) throw new Response('Bad request', { status: 400, statusText: 'Bad Request' });
    const result = await setMeasureActive(getDb(), measureId, intent === 'reactivate', parsed.data.version, actor);
    if (!result.ok) throw result.status === 404 ? notFound() : new Response(result.message, { status: 409, statusText: 'Conflict' });
    return redirect(`/admin/measures/${encodeURIComponent(measureId)}?done=${intent === 'retire' ? 'retired' : 'reactivated'}`, 303);
  }

  const submission = parseWithZod(formData, { schema: measureFormSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const { version, ...input } = submission.value;
  const result = await updateMeasure(getDb(), measureId, input, version ?? '', actor);
  if (!result.ok) {
    if ('fieldErrors' in result) {
      const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([field, message]) => [field, [message]]));
      return invalid(submission.reply({ fieldErrors }));
    }
    if (result.status === 404) throw notFound();
    return invalid(submission.reply({ formErrors: [STALE_STILL_YOURS] }), 409);
  }
  return redirect(`/admin/measures?${result.changed ? 'saved' : 'unchanged'}=${encodeURIComponent(measureId)}`, 303);
}

const STALE_STILL_YOURS = `${STALE_MESSAGE.replace(' Check its details below and try again.', '')} Your changes have not been saved: reload the page to see theirs, or save again to replace them with yours.`;

const DONE: Record<string, string> = {
  retired: 'Measure retired. It is no longer offered for new commitments.',
  reactivated: 'Measure reactivated. Officers can choose it for new commitments again.',
};

export default function EditMeasure() {
  const { measure, commitments, themes } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const done = DONE[searchParams.get('done') ?? ''];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done ? (
          <SuccessBanner heading={done} headingElement="p" />
        ) : null}
        <EditForm key={measure.version} measure={measure} themes={themes} commitments={commitments} />
        <StatusSection measure={measure} commitments={commitments} />
      </div>
    </div>
  );
}

type LoadedMeasure = ReturnType<typeof useLoaderData<typeof loader>>['measure'];

function EditForm({ measure, themes, commitments }: { measure: LoadedMeasure; themes: string[]; commitments: number }) {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof measureFormSchema>>({
    lastResult,
    defaultValue: {
      code: measure.code, theme: measure.theme, outcome: measure.outcome, title: measure.title, unit: measure.unit,
      proxy_value: measure.proxyValue, framework_year: measure.frameworkYear,
    },
  });
  return (
    <>
      <FormErrorSummary form={form} fields={measureSummaryFields(fields)} />
      <Link className="govuk-back-link" to="/admin/measures">Back to measures</Link>
      <span className="govuk-caption-l">{measure.theme}</span>
      <h1 className="govuk-heading-l">Edit measure {measure.code}</h1>
      <p className="govuk-body">
        {measure.active ? <strong className="govuk-tag govuk-tag--green">Active</strong> : <strong className="govuk-tag govuk-tag--grey">Retired</strong>}{' '}
        {measure.isDemo ? <strong className="govuk-tag govuk-tag--yellow">Demo figures</strong> : null}
      </p>
      {measure.isDemo ? (
        <p className="govuk-body">This measure comes with the demo. Its title and proxy value are illustrative, written for this portal, not taken from a published framework.</p>
      ) : null}
      <div className="govuk-inset-text">
        {commitments === 0 ? 'No commitments use this measure yet.' : `${commitments} ${commitments === 1 ? 'commitment uses' : 'commitments use'} this measure.`}{' '}
        Changing the proxy value does not change commitments already made: each keeps the value it copied when it was made.
        {commitments > 0
          ? ' Commitments read the code and unit from the measure, so these cannot change while commitments use it: to change either, retire this measure and add a new one. The title, theme and outcome can still be corrected.'
          : ''}
      </div>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="version" value={measure.version} />
        <MeasureFields fields={fields} themes={themes} />
        <SubmitButton name="intent" value="save">Save changes</SubmitButton>
      </Form>
    </>
  );
}

function StatusSection({ measure, commitments }: { measure: LoadedMeasure; commitments: number }) {
  return (
    <Form method="post">
      <input type="hidden" name="version" value={measure.version} />
      {measure.active ? (
        <>
          <h2 className="govuk-heading-m">Retire this measure</h2>
          <p className="govuk-body">
            A retired measure is no longer offered for new commitments. {commitments > 0 ? 'The commitments that use it keep it, with their figures unchanged.' : ''}{' '}
            Measures are never deleted, so the history of contracts and the audit trail stay complete. You can reactivate it later.
          </p>
          <SubmitButton name="intent" value="retire" variant="warning">Retire measure</SubmitButton>
        </>
      ) : (
        <>
          <h2 className="govuk-heading-m">Reactivate this measure</h2>
          <p className="govuk-body">Officers will be able to choose it for new commitments again.</p>
          <SubmitButton name="intent" value="reactivate" variant="secondary">Reactivate measure</SubmitButton>
        </>
      )}
    </Form>
  );
}
