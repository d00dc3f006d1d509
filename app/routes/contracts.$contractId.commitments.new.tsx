import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { addCommitment } from '~/modules/contracts/commitments.server';
import { CommitmentFields } from '~/modules/contracts/contract-ui';
import { commitmentSchema, type CommitmentForm } from '~/modules/contracts/contracts.schema';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { commitmentFormOptions, refused, requireContract } from '~/modules/contracts/route-helpers.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';
import { SubmissionKey } from '~/components/submission-key';
import { onceFrom } from '~/modules/submissions/once.server';

export const handle = { title: 'Add a commitment' };

/** After a 409 (closed or changed meanwhile) reload the record, so the notice and the form's version are current. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, starts: formatDate(contract.start_date), ends: formatDate(contract.end_date) },
    closed: contract.status === 'active' ? null : closedMessage(contract),
    submissionKey: randomUUID(),
    ...(await commitmentFormOptions()),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: commitmentSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await addCommitment(getDb(), contract.id, submission.value, auditActor(user, context), onceFrom(formData, user.id));
  if (!result.ok) return refused(submission, result);
  return redirect(`/contracts/${contract.id}?done=commitment-added`, 303);
}

export default function NewCommitment() {
  const { contract, closed, measures, wards, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<CommitmentForm>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ measureId: fields.measureId, target: fields.target, dueDate: fields.dueDate, wardId: fields.wardId, description: fields.description }}
        />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
        <h1 className="govuk-heading-l">Add a commitment</h1>
        {closed ? (
          <div className="govuk-inset-text">{closed}</div>
        ) : (
          <>
            <p className="govuk-body">The contract runs from {contract.starts} to {contract.ends}.</p>
            <Form method="post" {...getFormProps(form)} noValidate>
              <SubmissionKey value={submissionKey} />
              <CommitmentFields fields={fields} measures={measures} wards={wards} />
              <div className="govuk-button-group">
                <SubmitButton>Add commitment</SubmitButton>
                <Link className="govuk-link" to={`/contracts/${contract.id}`}>Cancel</Link>
              </div>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
