import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { closeContractSchema } from '~/modules/contracts/contracts.schema';
import { closeContract, closedMessage } from '~/modules/contracts/contracts.server';
import { refused, requireContract } from '~/modules/contracts/route-helpers.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatPence } from '~/modules/contracts/figures';
import { contractBalance } from '~/modules/credits/ledger.server';
import { getCreditPolicy } from '~/modules/credits/policy.server';

export const handle = { title: 'Close contract' };

/** After a 409 (closed or changed meanwhile) reload the record, so the notice and the form's version are current. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const [balance, policy] = await Promise.all([contractBalance(getDb(), contract.id), getCreditPolicy(getDb())]);
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, supplierName: contract.supplierName },
    closed: contract.status === 'active' ? null : closedMessage(contract),
    version: contract.updated_at,
    // Unspent credits expire when the contract closes, if the credit policy says so (docs/credits.md).
    expiringCredits: policy.creditsExpireWithContract && balance > 0 ? formatPence(balance) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const submission = parseWithZod(await readForm(request), { schema: closeContractSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await closeContract(getDb(), contract.id, submission.value, auditActor(user, context));
  if (!result.ok) return refused(submission, result);
  return redirect(`/contracts/${contract.id}?done=closed`, 303);
}

export default function CloseContract() {
  const { contract, closed, version, expiringCredits } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof closeContractSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ status: fields.status, reason: fields.reason }} />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
        <h1 className="govuk-heading-l">Close contract</h1>
        {closed ? (
          <div className="govuk-inset-text">{closed}</div>
        ) : (
          <>
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                Once closed, the contract and its commitments cannot be changed. {contract.supplierName} will still see it.
                {expiringCredits ? <> Its unspent credits ({expiringCredits}) will expire, as the council’s credit policy says.</> : null}
              </strong>
            </div>
            <Form method="post" {...getFormProps(form)} noValidate>
              <input type="hidden" name="version" value={version} />
              <RadiosField
                field={fields.status}
                legend="How did the contract end?"
                options={[
                  { value: 'completed', label: 'Completed: the contract ran its course' },
                  { value: 'terminated', label: 'Terminated: the contract ended early' },
                ]}
              />
              <TextareaField field={fields.reason} label="Reason" hint="This is kept in the contract’s record and audit trail." rows={4} />
              <div className="govuk-button-group">
                <SubmitButton variant="warning">Close contract</SubmitButton>
                <Link className="govuk-link" to={`/contracts/${contract.id}`}>Cancel</Link>
              </div>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
