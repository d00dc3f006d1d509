import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useState, type FormEvent } from 'react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, SelectField, TextareaField, TextField } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { formatPence, parseQuantity, valueOfQuantity } from '~/modules/contracts/figures';
import { claimValue, requestClaim, type ClaimInput } from '~/modules/credits/claims.server';
import { listClaimablePledges, listClaimContracts, listClaimMeasures } from '~/modules/credits/claims.queries.server';
import { CLAIM_KIND_LABELS, CLAIM_KINDS, CLAIM_LIMITS, newClaimSchema, type ClaimKind, type NewClaimForm } from '~/modules/credits/claims.schema';
import { discardUnreferenced } from '~/modules/returns/evidence-store.server';
import { readReturnForm } from '~/modules/returns/returns.forms.server';
import { EvidenceFields, returnSummaryFields } from '~/modules/returns/returns.ui';
import { onceFrom } from '~/modules/submissions/once.server';
import { invalid } from '~/utils/form.server';

export const handle = { title: 'Claim credits' };

// A contractor claims credits: first what for (a GET choice, so it works
// without JavaScript), then the claim. "Check the value" re-renders the page
// with the value the claim would have; with JavaScript the value also updates
// as the contractor types.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'credit:request');
  const url = new URL(request.url);
  const db = getDb();
  const [contracts, pledges, measures] = await Promise.all([
    listClaimContracts(db, user.organisationId), listClaimablePledges(db, user.organisationId), listClaimMeasures(db),
  ]);
  const pledgeId = url.searchParams.get('pledgeId')?.slice(0, 40) ?? '';
  const asked = url.searchParams.get('kind');
  const kind: ClaimKind | null = pledgeId ? 'pledge' : CLAIM_KINDS.includes(asked as ClaimKind) ? (asked as ClaimKind) : null;
  const chosenPledge = pledges.find((p) => p.id === pledgeId);
  const defaultContract = chosenPledge?.contractId && contracts.some((c) => c.id === chosenPledge.contractId)
    ? chosenPledge.contractId : contracts.length === 1 ? contracts[0]!.id : '';
  return {
    kind,
    pledgeMissing: Boolean(pledgeId && !chosenPledge),
    contracts: contracts.map((c) => ({ value: c.id, label: `${c.reference}: ${c.title}` })),
    pledges: pledges.map((p) => ({ value: p.id, label: `${p.itemTitle} (${p.vcseName}): ${formatPence(p.valuePence)}` })),
    measures: measures.map((m) => ({ value: m.id, label: `${m.code} ${m.title} (${formatPence(m.proxyValuePence)} per ${m.unit})`, proxyValuePence: m.proxyValuePence, unit: m.unit })),
    defaults: { contractId: defaultContract, pledgeId: chosenPledge?.id ?? '' },
    submissionKey: randomUUID(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'credit:request');
  const form = await readReturnForm(request, newClaimSchema);
  if (!form.ok) return form.response;
  const { value, submission } = form;
  const input: ClaimInput = value.kind === 'pledge'
    ? { contractId: value.contractId, kind: 'pledge', pledgeId: value.pledgeId ?? '', description: value.description }
    : { contractId: value.contractId, kind: 'activity', measureId: value.measureId ?? '', quantityMilli: value.quantityMilli ?? 0, description: value.description ?? '', files: form.files, links: form.links };
  const refuse = (field: string, message: string) => invalid(submission.reply({ fieldErrors: { [field]: [message] } }));
  if (value.intent === 'preview') {
    if (form.files.length) await discardUnreferenced(getDb(), form.files);
    const valued = await claimValue(getDb(), { ...input, description: input.description || 'preview' } as ClaimInput, user.organisationId);
    if (!valued.ok) return refuse(valued.field === 'quantity' ? 'quantity' : valued.field, valued.message);
    const v = valued.value;
    const preview = `${formatPence(v.valuePence)}${v.upliftPercent ? ` (${formatPence(v.baseValuePence)} plus a ${v.upliftPercent}% priority-ward uplift)` : ''}`;
    return { ...submission.reply(), preview, filesDropped: form.files.length > 0 };
  }
  const result = await requestClaim(getDb(), input, auditActor(user, context), onceFrom(form.fields, user.id));
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    return refuse(result.field, result.message);
  }
  return redirect(`/credits/claims/${result.id}?done=requested`, 303);
}

const KIND_OPTIONS = CLAIM_KINDS.map((k) => ({ value: k, label: CLAIM_KIND_LABELS[k] }));

/** With JavaScript: the value as the contractor types (the server's preview and the service decide). */
function useLiveValue(measures: Array<{ value: string; proxyValuePence: number }>) {
  const [live, setLive] = useState<string | null>(null);
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const data = new FormData(event.currentTarget);
    const measure = measures.find((m) => m.value === data.get('measureId'));
    const milli = parseQuantity(String(data.get('quantity') ?? ''));
    if (!measure || milli === null || milli <= 0) return setLive(null);
    const pence = valueOfQuantity(milli, measure.proxyValuePence);
    setLive(pence > CLAIM_LIMITS.maxValuePence ? `${formatPence(pence)}: more than the ${formatPence(CLAIM_LIMITS.maxValuePence)} a claim may be worth` : formatPence(pence));
  };
  return { live, onChange };
}

export default function NewClaim() {
  const { kind, pledgeMissing, contracts, pledges, measures, defaults, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<NewClaimForm & { evidence?: string }>({ lastResult, defaultValue: { kind: kind ?? undefined, contractId: defaults.contractId, pledgeId: defaults.pledgeId } });
  const { live, onChange } = useLiveValue(measures);
  const preview = lastResult && 'preview' in lastResult ? lastResult : null;
  const all = fields as unknown as Parameters<typeof returnSummaryFields>[0];
  const summary = kind === 'activity'
    ? returnSummaryFields(all, ['contractId', 'measureId', 'quantity', 'description'])
    : { contractId: fields.contractId, pledgeId: fields.pledgeId, description: fields.description };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {kind ? <FormErrorSummary form={form} fields={summary} /> : null}
        <Link className="govuk-back-link" to={kind ? '/credits/claims/new' : '/credits'}>Back</Link>
        <h1 className="govuk-heading-l">Claim credits</h1>
        <p className="govuk-body">Claim credits for social value your organisation delivered outside its contract commitments. An officer checks each claim; approved credits go on the contract’s credit balance.</p>
        {!kind ? (
          <Form method="get">
            <RadiosField field={fields.kind} legend="What are you claiming for?" options={KIND_OPTIONS} />
            <button type="submit" className="govuk-button" data-module="govuk-button">Continue</button>
          </Form>
        ) : contracts.length === 0 ? (
          <div className="govuk-inset-text">Your organisation has no active contract to credit.</div>
        ) : kind === 'pledge' && pledges.length === 0 ? (
          <div className="govuk-inset-text">
            {pledgeMissing ? 'That pledge cannot back a claim: it is not confirmed yet, or it already backs one. ' : ''}
            Your organisation has no confirmed pledge that is free to claim. A pledge can be claimed once the charity confirms it received what you gave. <Link className="govuk-link" to="/pledges">See your pledges</Link>
          </div>
        ) : (
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate onChange={onChange}>
            <SubmissionKey value={submissionKey} />
            <input type="hidden" name="kind" value={kind} />
            <SelectField field={fields.contractId} label="Contract to credit" options={contracts} placeholder="Select a contract" />
            {kind === 'pledge' ? (
              <>
                {pledgeMissing ? <div className="govuk-inset-text">That pledge cannot back a claim: it is not confirmed yet, or it already backs one. Choose another.</div> : null}
                <SelectField field={fields.pledgeId} label="Confirmed pledge" hint="The claim is worth the pledge’s value (with any uplift the council gives for priority wards)." options={pledges} placeholder="Select a pledge" />
                <TextareaField field={fields.description} label="Anything to add (optional)" rows={3} />
              </>
            ) : (
              <>
                <SelectField field={fields.measureId} label="Measure" hint="The measure from the council’s framework that the activity delivered." options={measures} placeholder="Select a measure" />
                <TextField field={fields.quantity} label="Quantity delivered" hint="In the measure’s unit, up to 3 decimal places." inputMode="decimal" width="10" spellCheck={false} />
                <TextareaField field={fields.description} label="What was delivered" hint="What you did, when, and who benefited." rows={5} />
                <EvidenceFields fields={all} noun="claim" />
              </>
            )}
            <div className="govuk-inset-text" aria-live="polite">
              {live ? <p className="govuk-body govuk-!-margin-bottom-0">Value of this claim: <strong>{live}</strong></p>
                : preview ? <p className="govuk-body govuk-!-margin-bottom-0">Value of this claim: <strong>{preview.preview}</strong></p>
                  : <p className="govuk-body govuk-!-margin-bottom-0">Use “Check the value” to see what this claim is worth before you send it.</p>}
              {preview?.filesDropped ? <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">Files are not kept when you check the value: select them again before you send the claim.</p> : null}
            </div>
            <div className="govuk-button-group">
              <SubmitButton name="intent" value="send">Send claim</SubmitButton>
              <SubmitButton name="intent" value="preview" variant="secondary">Check the value</SubmitButton>
              <Link className="govuk-link" to="/credits">Cancel</Link>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
