import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { ContractFields } from '~/modules/contracts/contract-ui';
import { contractSchema, type ContractForm } from '~/modules/contracts/contracts.schema';
import { createContract, listOfficerOptions, listSupplierOptions } from '~/modules/contracts/contracts.server';
import { refused } from '~/modules/contracts/route-helpers.server';
import { invalid, readForm } from '~/utils/form.server';
import { SubmissionKey } from '~/components/submission-key';
import { onceFrom } from '~/modules/submissions/once.server';

export const handle = { title: 'Create a contract' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const db = getDb();
  const [suppliers, officers] = await Promise.all([listSupplierOptions(db), listOfficerOptions(db)]);
  return {
    suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })),
    officers: officers.map((o) => ({ value: o.id, label: `${o.name} (${o.email})` })),
    defaultOfficerId: officers.some((o) => o.id === user.id) ? user.id : undefined,
    submissionKey: randomUUID(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: contractSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await createContract(getDb(), submission.value, auditActor(user, context), onceFrom(formData, user.id));
  if (!result.ok) return refused(submission, result);
  return redirect(`/contracts/${result.id}?done=created`, 303);
}

export default function NewContract() {
  const { suppliers, officers, defaultOfficerId, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ContractForm>({ lastResult, defaultValue: { officerId: defaultOfficerId } });
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
        <Link className="govuk-back-link" to="/contracts">Back to contracts</Link>
        <h1 className="govuk-heading-l">Create a contract</h1>
        <p className="govuk-body">You can add the contract’s social value commitments once it is created.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <SubmissionKey value={submissionKey} />
          <ContractFields fields={fields} suppliers={suppliers} officers={officers} />
          <SubmitButton>Create contract</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
