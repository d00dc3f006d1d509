import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { MeasureFields, measureSummaryFields } from '~/modules/measures/measure-fields';
import { measureFormSchema } from '~/modules/measures/measures.schema';
import { createMeasure, listThemes } from '~/modules/measures/measures.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Add a measure' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  return { themes: await listThemes(getDb()), year: new Date().getFullYear() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'measure:manage');
  const submission = parseWithZod(await readForm(request), { schema: measureFormSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await createMeasure(getDb(), submission.value, auditActor(user, context));
  if (!result.ok) return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
  return redirect(`/admin/measures?added=${encodeURIComponent(result.measureId)}`, 303);
}

export default function NewMeasure() {
  const { themes, year } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof measureFormSchema>>({ lastResult, defaultValue: { framework_year: String(year) } });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={measureSummaryFields(fields)} />
        <Link className="govuk-back-link" to="/admin/measures">Back to measures</Link>
        <h1 className="govuk-heading-l">Add a measure</h1>
        <p className="govuk-body">A measure is one line of the authority’s measures framework. Officers choose from active measures when they add commitments to a contract.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <MeasureFields fields={fields} themes={themes} />
          <SubmitButton>Add measure</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
