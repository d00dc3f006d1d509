import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { PostingsTable } from '~/modules/credits/credits-ui';
import { auditActor, forbidden, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { findTransaction } from '~/modules/credits/ledger.queries.server';
import { presentTransaction } from '~/modules/credits/ledger.present';
import { cannotReverse, reverseTransaction } from '~/modules/credits/reversal.server';
import { reversalSchema } from '~/modules/credits/reversal.schema';
import { invalid, readForm } from '~/utils/form.server';
import { closedMessage } from '~/modules/contracts/contracts.server';

export const handle = { title: 'Reverse a ledger transaction' };

// An officer corrects the credits ledger by reversing a transaction, with a
// reason (docs/credits.md, "Reversals"). Already reversed, or itself a
// reversal: 409. Refused because it would overdraw a balance or cannot undo a
// swap's commitment changes: the reason above the form, 409, nothing written.

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

async function requireTransaction(transactionId: string | undefined) {
  const found = transactionId ? await findTransaction(getDb(), transactionId.slice(0, 100)) : undefined;
  if (!found) throw notFound();
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'credit:decide');
  const t = await requireTransaction(params.transactionId);
  const why = cannotReverse(t);
  if (why) throw conflict(why);
  const contract = await getDb().selectFrom('contract').select(['id', 'reference', 'title', 'status', 'closed_at']).where('id', '=', t.contractId).executeTakeFirstOrThrow();
  if (contract.status !== 'active') throw conflict(`${closedMessage(contract)} Its ledger cannot be reversed.`);
  return { contract, transaction: presentTransaction(t, true), isSwap: t.kind === 'swap' };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'credit:decide');
  const t = await requireTransaction(params.transactionId);
  const why = cannotReverse(t);
  if (why) throw conflict(why);
  const submission = parseWithZod(await readForm(request), { schema: reversalSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await reverseTransaction(getDb(), t.id, submission.value.reason, auditActor(user, context));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'forbidden':
        throw forbidden(result.message);
      case 'conflict':
        throw conflict(result.message);
      case 'invalid':
        return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
      case 'refused':
        return invalid(submission.reply({ formErrors: [result.message] }), 409);
    }
  }
  return redirect(`/contracts/${t.contractId}/ledger?reversed=${encodeURIComponent(result.id)}#transaction-${result.id}`, 303);
}

export default function ReverseTransaction() {
  const { contract, transaction, isSwap } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof reversalSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ reason: fields.reason }} />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}/ledger`}>Back to the ledger of {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
        <h1 className="govuk-heading-l">Reverse a ledger transaction</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Transaction</dt>
            <dd className="govuk-summary-list__value">{transaction.title}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Reason</dt>
            <dd className="govuk-summary-list__value">{transaction.reason}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Booked</dt>
            <dd className="govuk-summary-list__value">{transaction.booked}{transaction.approvedBy ? `, approved by ${transaction.approvedBy}` : ''}</dd>
          </div>
        </dl>
        <PostingsTable postings={transaction.postings} reversed caption="The reversal will book these postings" captionClassName="govuk-table__caption govuk-table__caption--s" />
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            A reversal cannot be undone. {isSwap ? 'Reversing a swap also gives back the quantity it substituted on the commitment, and takes back what another commitment took on for it.' : 'It is refused if the credits have already been spent.'}
          </strong>
        </div>
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextareaField field={fields.reason} label="Why are you reversing this transaction?" hint="The contractor is told, and it is kept in the ledger and the audit trail." rows={4} />
          <div className="govuk-button-group">
            <SubmitButton variant="warning">Reverse transaction</SubmitButton>
            <Link className="govuk-link" to={`/contracts/${contract.id}/ledger`}>Cancel</Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
