import { randomUUID } from 'node:crypto';
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useState, type FormEvent } from 'react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField, TextareaField, TextField } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { DateField } from '~/modules/contracts/contract-ui';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { formatPence, formatQuantity, parseQuantity } from '~/modules/contracts/figures';
import { evaluateSwap, remainingMilli, type SwapFacts, type SwapMethod } from '~/modules/credits/swap-rules';
import { SWAP_METHOD_LABELS, SWAP_METHODS, swapRequestSchema, type SwapRequestForm } from '~/modules/credits/swaps.schema';
import { findSwapCommitment, requestSwap, swapFacts } from '~/modules/credits/swaps.server';
import { policyText, SummaryRow, SwapValues, type ValuesShown } from '~/modules/credits/swaps.ui';
import { onceFrom } from '~/modules/submissions/once.server';
import { readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Request a swap' };

// A contractor asks to meet part of a commitment another way (docs/swaps.md).
// The values on both sides and the rules a request would break are shown as
// they type (the same pure rules run in the browser), or after "Check values"
// without JavaScript; "Send request" saves it for an officer to decide.

async function requireCommitment(request: Request) {
  const user = await requirePermission(request, 'credit:request');
  const id = new URL(request.url).searchParams.get('commitmentId') ?? '';
  const commitment = id ? await findSwapCommitment(getDb(), id.slice(0, 100), user.organisationId) : undefined;
  if (!commitment) throw notFound();
  return { user, commitment };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { commitment } = await requireCommitment(request);
  const facts = await swapFacts(getDb(), commitment);
  const measureById = new Map(facts.measures.map((m) => [m.id, m]));
  return {
    commitment: {
      id: commitment.id, contractId: commitment.contractId, contract: `${commitment.contractReference}: ${commitment.contractTitle}`,
      measure: `${commitment.measureCode}: ${commitment.measureTitle}`, theme: commitment.theme, unit: commitment.unit,
      target: formatQuantity(commitment.targetMilli, commitment.unit), delivered: formatQuantity(commitment.deliveredMilli, commitment.unit),
      substituted: formatQuantity(commitment.substitutedMilli, commitment.unit), remaining: formatQuantity(remainingMilli(commitment), commitment.unit),
      pending: facts.pendingMilli > 0 ? formatQuantity(facts.pendingMilli, commitment.unit) : null,
      proxy: `${formatPence(commitment.proxyValuePence)} per ${commitment.unit}`, due: formatDate(commitment.dueDate),
    },
    closed: commitment.contractStatus === 'active' ? null : closedMessage({ status: commitment.contractStatus, closed_at: commitment.closedAt }),
    balance: formatPence(facts.balancePence),
    policy: policyText(facts.policy),
    // What the browser needs to run the same rules as the server.
    facts: { ...facts, measures: facts.measures.filter((m) => m.active) },
    measureOptions: facts.measures.filter((m) => m.active && m.id !== commitment.measureId).map((m) => ({ value: m.id, label: `${m.code}: ${m.title} (${m.theme}; ${formatPence(m.proxyValuePence)} per ${m.unit})` })),
    commitmentOptions: facts.commitments.filter((c) => c.id !== commitment.id && c.measureId !== commitment.measureId).map((c) => {
      const m = measureById.get(c.measureId);
      return { value: c.id, label: `Add to the existing ${m?.code ?? ''} commitment (${formatPence(c.proxyValuePence)} per ${m?.unit ?? 'unit'})` };
    }),
    submissionKey: randomUUID(),
  };
}

type CheckResult = SubmissionResult<string[]> & { values?: ValuesShown };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, commitment } = await requireCommitment(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: swapRequestSchema });
  if (submission.status !== 'success') return data<CheckResult>(submission.reply(), { status: 400 });
  const v = submission.value;
  if (v.intent === 'check') {
    // Nothing is saved: the page comes back with both values and the rules it would break.
    const facts = await swapFacts(getDb(), commitment);
    const shown = valuesShown(facts, commitment.unit, v);
    const fieldErrors = Object.fromEntries(shown.problems.map((p) => [p.field, [p.message]]));
    return data<CheckResult>({ ...submission.reply({ fieldErrors }), values: shown }, { status: shown.problems.length ? 400 : 200 });
  }
  const input = v.method === 'credits'
    ? { commitmentId: commitment.id, method: 'credits' as const, quantityMilli: v.quantityMilli, reason: v.reason }
    : { commitmentId: commitment.id, method: 'measure' as const, quantityMilli: v.quantityMilli, toMeasureId: v.toMeasureId!, toQuantityMilli: v.toQuantityMilli!, toCommitmentId: v.toCommitmentId ?? null, toDueDate: v.toDueDate ?? null, reason: v.reason };
  const result = await requestSwap(getDb(), input, auditActor(user, context), onceFrom(form, user.id));
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    // The contract closed since the page was loaded: above the form, as a conflict.
    if (result.field === 'commitmentId') return data<CheckResult>(submission.reply({ formErrors: [result.message] }), { status: 409 });
    return data<CheckResult>(submission.reply({ fieldErrors: { [result.field]: [result.message] } }), { status: 400 });
  }
  return redirect(`/credits/swaps/${result.id}?done=requested`, 303);
}

interface Typed {
  method: SwapMethod | null;
  quantityMilli: number | null;
  toMeasureId?: string;
  toCommitmentId?: string;
  toQuantityMilli?: number | null;
}

/** Both values and the rules broken, from the same pure rules in the server and the browser. */
function valuesShown(facts: SwapFacts, unit: string, typed: Typed): ValuesShown {
  const method = typed.method ?? 'credits';
  const e = evaluateSwap(facts, {
    method, quantityMilli: typed.quantityMilli,
    toMeasureId: method === 'measure' ? (typed.toMeasureId || null) : undefined,
    toCommitmentId: method === 'measure' ? (typed.toCommitmentId || null) : undefined,
    toQuantityMilli: method === 'measure' ? typed.toQuantityMilli : undefined,
  });
  const toUnit = facts.measures.find((m) => m.id === typed.toMeasureId)?.unit ?? '';
  return {
    giveUp: e.valuePence !== null && typed.quantityMilli ? { quantityMilli: typed.quantityMilli, unit, valuePence: e.valuePence } : null,
    takeOn: method === 'credits'
      ? (e.valuePence !== null && typed.method ? { credits: e.valuePence } : null)
      : (e.toValuePence !== null && typed.toQuantityMilli ? { quantityMilli: typed.toQuantityMilli, unit: toUnit, valuePence: e.toValuePence } : null),
    problems: e.problems,
  };
}

function typedIn(form: HTMLFormElement): Typed {
  const fd = new FormData(form);
  const text = (name: string) => {
    const value = fd.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const method = text('method');
  const quantity = (name: string) => (text(name) ? (parseQuantity(text(name)) ?? -1) : null);
  return {
    method: method === 'credits' || method === 'measure' ? method : null,
    quantityMilli: quantity('quantity'), toMeasureId: text('toMeasureId'), toCommitmentId: text('toCommitmentId'), toQuantityMilli: quantity('toQuantity'),
  };
}

export default function NewSwap() {
  const { commitment, closed, balance, policy, facts, measureOptions, commitmentOptions, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as CheckResult | undefined;
  const [form, fields] = useForm<SwapRequestForm>({ lastResult, shouldRevalidate: 'onSubmit' });
  const [hydrated, setHydrated] = useState(false);
  const [live, setLive] = useState<{ method: SwapMethod | null; shown: ValuesShown } | null>(null);
  useEffect(() => setHydrated(true), []);
  const initialMethod = (fields.method.initialValue as SwapMethod | undefined) ?? null;
  const method = live ? live.method : initialMethod;
  const shown: ValuesShown = live?.shown ?? lastResult?.values ?? { giveUp: null, takeOn: null, problems: [] };
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const typed = typedIn(event.currentTarget);
    setLive({ method: typed.method, shown: valuesShown(facts, commitment.unit, typed) });
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ quantity: fields.quantity, method: fields.method, toMeasureId: fields.toMeasureId, toCommitmentId: fields.toCommitmentId, toQuantity: fields.toQuantity, toDueDate: fields.toDueDate, reason: fields.reason }} />
        <Link className="govuk-back-link" to={`/contracts/${commitment.contractId}`}>Back to the contract</Link>
        <span className="govuk-caption-l">{commitment.contract}</span>
        <h1 className="govuk-heading-l">Request a swap</h1>
        <p className="govuk-body">Ask to meet part of this commitment another way. An officer decides; nothing changes until then.</p>
        <dl className="govuk-summary-list">
          <SummaryRow label="Commitment">{commitment.measure} <span className="govuk-hint govuk-!-display-inline">({commitment.theme})</span></SummaryRow>
          <SummaryRow label="Target">{commitment.target} by {commitment.due}</SummaryRow>
          <SummaryRow label="Delivered">{commitment.delivered}</SummaryRow>
          <SummaryRow label="Substituted">{commitment.substituted}</SummaryRow>
          <SummaryRow label="Remaining">{commitment.remaining}{commitment.pending ? ` (${commitment.pending} in requests waiting for a decision)` : ''}</SummaryRow>
          <SummaryRow label="Proxy value">{commitment.proxy}</SummaryRow>
          <SummaryRow label="Contract’s credit balance">{balance}</SummaryRow>
        </dl>
        <div className="govuk-inset-text" data-testid="credit-policy">{policy}</div>
        {closed ? <div className="govuk-inset-text">{closed}</div> : (
          <Form method="post" {...getFormProps(form)} noValidate onInput={onInput} onChange={onInput}>
            <SubmissionKey value={submissionKey} />
            <TextField field={fields.quantity} label={`Quantity you cannot deliver (${commitment.unit})`} hint="Up to 3 decimal places." inputMode="decimal" width="10" spellCheck={false} />
            <div className={`govuk-form-group${fields.method.errors ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" aria-describedby={fields.method.errors ? fields.method.errorId : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">How will you meet this part of the commitment?</legend>
                {fields.method.errors ? <p id={fields.method.errorId} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {fields.method.errors[0]}</p> : null}
                <div className="govuk-radios">
                  {SWAP_METHODS.map((m, i) => (
                    <div key={m}>
                      <div className="govuk-radios__item">
                        <input className="govuk-radios__input" id={i === 0 ? fields.method.id : `${fields.method.id}-${m}`} name={fields.method.name} type="radio" value={m}
                          defaultChecked={initialMethod === m} aria-controls={m === 'measure' ? 'swap-measure-fields' : undefined} />
                        <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? fields.method.id : `${fields.method.id}-${m}`}>{SWAP_METHOD_LABELS[m]}</label>
                      </div>
                      {m === 'measure' ? (
                        // Without JavaScript these fields are always shown (GOV.UK conditional reveal).
                        <div className={`govuk-radios__conditional${hydrated && method !== 'measure' ? ' govuk-radios__conditional--hidden' : ''}`} id="swap-measure-fields">
                          <SelectField field={fields.toMeasureId} label="Measure you will deliver instead" options={measureOptions} placeholder="Choose a measure" />
                          <SelectField field={fields.toCommitmentId} label="Commitment it goes to" options={commitmentOptions} placeholder="A new commitment on this contract"
                            hint="A new commitment, or more of an existing commitment of this contract for the same measure." />
                          <TextField field={fields.toQuantity} label="Quantity you will deliver instead" hint="In the chosen measure’s unit, up to 3 decimal places." inputMode="decimal" width="10" spellCheck={false} />
                          <DateField field={fields.toDueDate as never} legend="Due date (optional)" hint={`For a new commitment. Leave blank for this commitment’s due date, ${commitment.due}.`} />
                        </div>
                      ) : null}
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <TextareaField field={fields.reason} label="Why you cannot deliver it as written" hint="The officer deciding your request will read this." rows={4} />
            <SwapValues shown={shown} />
            <div className="govuk-button-group">
              <SubmitButton name="intent" value="check" variant="secondary">Check values</SubmitButton>
              <SubmitButton name="intent" value="send">Send request</SubmitButton>
              <Link className="govuk-link" to={`/contracts/${commitment.contractId}`}>Cancel</Link>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
