import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { ContractFields } from '~/modules/contracts/contract-ui';
import { contractSchema, type ContractForm } from '~/modules/contracts/contracts.schema';
import { closedMessage, listOfficerOptions, listSupplierOptions, updateContract } from '~/modules/contracts/contracts.server';
import { dateParts } from '~/modules/contracts/dates';
import { penceToInput } from '~/modules/contracts/figures';
import { refused, requireContract } from '~/modules/contracts/route-helpers.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Edit contract' };

/** After a 409 (closed or changed meanwhile) reload the record, so the notice and the form's version are current. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const db = getDb();
  const [suppliers, officers] = await Promise.all([listSupplierOptions(db, contract.supplier_id), listOfficerOptions(db, contract.officer_id)]);
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title },
    closed: contract.status === 'active' ? null : closedMessage(contract),
    version: contract.updated_at,
    defaultValue: {
      reference: contract.reference, title: contract.title, description: contract.description, supplierId: contract.supplier_id,
      value: penceToInput(contract.value_pence), startDate: dateParts(contract.start_date), endDate: dateParts(contract.end_date), officerId: contract.officer_id,
    },
    suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })),
    officers: officers.map((o) => ({ value: o.id, label: `${o.name} (${o.email})` })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const contract = await requireContract(user, params.contractId);
  const submission = parseWithZod(await readForm(request), { schema: contractSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await updateContract(getDb(), contract.id, submission.value, auditActor(user, context));
  if (!result.ok) return refused(submission, result);
  return redirect(`/contracts/${contract.id}?done=updated`, 303);
}

export default function EditContract() {
  const { contract, closed, version, defaultValue, suppliers, officers } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ContractForm>({ lastResult, defaultValue });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{
            reference: fields.reference, title: fields.title, description: fields.description, supplierId: fields.supplierId, value: fields.value,
            startDate: fields.startDate, endDate: fields.endDate, officerId: fields.officerId,
          }}
        />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}</span>
        <h1 className="govuk-heading-l">Edit contract</h1>
        {closed ? (
          <div className="govuk-inset-text">{closed}</div>
        ) : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="version" value={version} />
            <ContractFields fields={fields} suppliers={suppliers} officers={officers} />
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
