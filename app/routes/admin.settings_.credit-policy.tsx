import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { creditPolicySchema, type CreditPolicyForm } from '~/modules/credits/policy.schema';
import { getCreditPolicy, setCreditPolicy } from '~/modules/credits/policy.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Credit policy' };

// The authority's credit policy (docs/swaps.md): an admin setting, audited with
// before and after. It applies to requests and decisions from now on.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'settings:manage');
  const policy = await getCreditPolicy(getDb());
  return {
    values: {
      maxSubstitutedPercent: String(policy.maxSubstitutedPercent),
      allowCrossTheme: policy.allowCrossTheme ? 'yes' : 'no',
      priorityWardUpliftPercent: String(policy.priorityWardUpliftPercent),
      creditsExpireWithContract: policy.creditsExpireWithContract ? 'yes' : 'no',
    },
    saved: new URL(request.url).searchParams.get('saved') === '1',
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'settings:manage');
  const submission = parseWithZod(await readForm(request), { schema: creditPolicySchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  await getDb().transaction().execute((tx) => setCreditPolicy(tx, submission.value, auditActor(admin, context)));
  return redirect('/admin/settings/credit-policy?saved=1', 303);
}

const YES_NO = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];

export default function CreditPolicySettings() {
  const { values, saved } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<CreditPolicyForm>({ id: 'credit-policy', lastResult, defaultValue: values });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ maxSubstitutedPercent: fields.maxSubstitutedPercent, allowCrossTheme: fields.allowCrossTheme, priorityWardUpliftPercent: fields.priorityWardUpliftPercent, creditsExpireWithContract: fields.creditsExpireWithContract }} />
        {saved && !lastResult ? <SuccessBanner heading="Credit policy saved." headingElement="p" /> : null}
        <Link className="govuk-back-link" to="/admin/settings">Back to settings</Link>
        <h1 className="govuk-heading-l">Credit policy</h1>
        <p className="govuk-body">
          These rules bound the swaps contractors may ask for and the credits they may claim. A change applies to new requests and to
          decisions from now on: an officer cannot approve a waiting request that the new policy forbids. Decisions already made stand.
          Every change is recorded in the audit trail.
        </p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextField field={fields.maxSubstitutedPercent} label="Largest share of a commitment that swaps may meet (%)"
            hint="A whole number from 0 to 100. 0 turns swaps off. For example, 50 lets swaps meet up to half of a commitment’s target." inputMode="numeric" width="5" />
          <RadiosField field={fields.allowCrossTheme} legend="May a swap use a measure from another theme?" options={YES_NO} inline
            hint="For example, meeting a jobs commitment with an environment measure." />
          <TextField field={fields.priorityWardUpliftPercent} label="Uplift for credits from needs in priority wards (%)"
            hint="A whole number from 0 to 100, added to the value of a claim backed by a pledge to a wishlist need in a priority ward." inputMode="numeric" width="5" />
          <RadiosField field={fields.creditsExpireWithContract} legend="Do unspent credits expire when the contract ends?" options={YES_NO} inline />
          <SubmitButton>Save credit policy</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
