import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { contractHasStarted, findCommitment, updateCommitment } from '~/modules/contracts/commitments.server';
import { CommitmentFields } from '~/modules/contracts/contract-ui';
import { commitmentSchema, type CommitmentForm } from '~/modules/contracts/contracts.schema';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { dateParts } from '~/modules/contracts/dates';
import { milliToInput } from '~/modules/contracts/figures';
import { commitmentFormOptions, refused, requireContract } from '~/modules/contracts/route-helpers.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Edit commitment' };

/** After a 409 (closed or changed meanwhile) reload the record, so the notice and the form's version are current. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const commitment = await findCommitment(getDb(), contract.id, params.commitmentId ?? '');
  if (!commitment) throw notFound();
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, starts: formatDate(contract.start_date) },
    closed: contract.status === 'active' ? null : closedMessage(contract),
    started: contractHasStarted(contract),
    version: commitment.updated_at,
    defaultValue: {
      measureId: commitment.measure_id, target: milliToInput(commitment.target_milli), dueDate: dateParts(commitment.due_date),
      wardId: commitment.ward_id ?? '', description: commitment.description,
    },
    ...(await commitmentFormOptions(commitment.measure_id)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const submission = parseWithZod(await readForm(request), { schema: commitmentSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await updateCommitment(getDb(), contract.id, params.commitmentId ?? '', submission.value, auditActor(user, context));
  if (!result.ok) return refused(submission, result);
  return redirect(`/contracts/${contract.id}?done=commitment-updated`, 303);
}

export default function EditCommitment() {
  const { contract, closed, started, version, defaultValue, measures, wards } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<CommitmentForm>({ lastResult, defaultValue });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ measureId: fields.measureId, target: fields.target, dueDate: fields.dueDate, wardId: fields.wardId, description: fields.description, reason: fields.reason }}
        />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
        <h1 className="govuk-heading-l">Edit commitment</h1>
        {closed ? (
          <div className="govuk-inset-text">{closed}</div>
        ) : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="version" value={version} />
            <CommitmentFields fields={fields} measures={measures} wards={wards} />
            {started ? (
              <>
                <div className="govuk-inset-text">The contract started on {contract.starts}, so a change to this commitment needs a reason. The reason is kept in the audit trail with the commitment as it was and as it is now.</div>
                <TextareaField field={fields.reason} label="Reason for the change" hint="For example, the scope was reduced by contract variation 3." rows={3} />
              </>
            ) : null}
            <div className="govuk-button-group">
              <SubmitButton>Save changes</SubmitButton>
              <Link className="govuk-link" to={`/contracts/${contract.id}`}>Cancel</Link>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
