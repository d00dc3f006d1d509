import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { Form } from '@remix-run/react';
import type { SummaryError } from '~/components/error-summary';
import { RadiosField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import type { PledgeStep } from './lifecycle';
import { PLEDGE_LIMITS, type StepForm } from './pledges.schema';

// The forms for the next steps of a pledge (its page shows those the user's
// side may take now). Each is a plain POST with an intent and the pledge's
// version, so it works without JavaScript. No server imports.

export type StepPanel = 'respond' | 'receipt' | 'deliver' | 'withdraw';

/** Which panel a step is sent from (a refused form comes back to its own panel). */
export const PANEL_OF: Record<PledgeStep, StepPanel> = {
  accept: 'respond', decline: 'respond', confirm: 'receipt', dispute: 'receipt', deliver: 'deliver', withdraw: 'withdraw',
};

/** A refused step: conform's reply, marked with the panel it came from. */
export type StepReply = SubmissionResult<string[]> & { panel: StepPanel };

/** The page's one error summary, linking each message to its field in the refused panel. */
export function stepErrors(last: StepReply | undefined): SummaryError[] {
  if (!last || last.status !== 'error') return [];
  return Object.entries(last.error ?? {}).flatMap(([name, messages]) => {
    const message = messages?.[0];
    return message ? [{ fieldId: name ? `${last.panel}-${name}` : last.panel, message }] : [];
  });
}

const limit = `Up to ${PLEDGE_LIMITS.reason.toLocaleString('en-GB')} characters.`;

function usePanelForm(panel: StepPanel, last: StepReply | undefined) {
  return useForm<StepForm>({ id: panel, lastResult: last?.panel === panel ? last : undefined });
}

function Hidden({ panel, version }: { panel: StepPanel; version: string }) {
  return (
    <>
      <input type="hidden" name="panel" value={panel} />
      <input type="hidden" name="version" value={version} />
    </>
  );
}

/**
 * The VCSE answers an offer: accept (with an optional message) or decline (with
 * a reason). While the need cannot take the pledge (item-rule.ts) only
 * declining is offered.
 */
function RespondForm({ version, last, canAccept }: { version: string; last?: StepReply; canAccept: boolean }) {
  const [form, fields] = usePanelForm('respond', last);
  if (!canAccept) {
    return (
      <>
        <h2 className="govuk-heading-m">Decline this pledge</h2>
        <Form method="post" {...getFormProps(form)} noValidate>
          <Hidden panel="respond" version={version} />
          <TextareaField field={fields.reason} label="Why are you declining it?" rows={4} hint={`The contractor will see this. ${limit}`} />
          <SubmitButton name="intent" value="decline" variant="secondary">Decline pledge</SubmitButton>
        </Form>
      </>
    );
  }
  return (
    <>
      <h2 className="govuk-heading-m">Answer this pledge</h2>
      <Form method="post" {...getFormProps(form)} noValidate>
        <Hidden panel="respond" version={version} />
        <RadiosField field={fields.intent} legend="Do you accept this pledge?" options={[{ value: 'accept', label: 'Yes, accept it' }, { value: 'decline', label: 'No, decline it' }]} />
        <TextareaField field={fields.reason} label="Message to the contractor" rows={4} hint={`Required if you decline: say why, so they can offer something else. ${limit}`} />
        <SubmitButton>Send answer</SubmitButton>
      </Form>
    </>
  );
}

/** The VCSE confirms receipt or disputes a delivery; a disputed pledge can still be confirmed. */
function ReceiptForm({ version, last, disputed }: { version: string; last?: StepReply; disputed: boolean }) {
  const [form, fields] = usePanelForm('receipt', last);
  return (
    <>
      <h2 className="govuk-heading-m">{disputed ? 'Has it been sorted out?' : 'Did you receive it?'}</h2>
      <Form method="post" {...getFormProps(form)} noValidate>
        <Hidden panel="receipt" version={version} />
        {disputed ? (
          <>
            <p className="govuk-body">The contractor will mark the pledge delivered again once they have put things right. If you have now received what was pledged, you can confirm it yourself.</p>
            <SubmitButton name="intent" value="confirm">Confirm we received it</SubmitButton>
          </>
        ) : (
          <>
            <RadiosField field={fields.intent} legend="Did you receive what was pledged?" options={[{ value: 'confirm', label: 'Yes, we received it' }, { value: 'dispute', label: 'No, or something is wrong' }]} />
            <TextareaField field={fields.reason} label="What is wrong?" rows={4} hint={`Only if something is wrong: what is missing or not as pledged. ${limit}`} />
            <SubmitButton>Send answer</SubmitButton>
          </>
        )}
      </Form>
    </>
  );
}

/** The contractor marks an accepted (or disputed) pledge delivered, with a note. */
function DeliverForm({ version, last, disputed }: { version: string; last?: StepReply; disputed: boolean }) {
  const [form, fields] = usePanelForm('deliver', last);
  return (
    <>
      <h2 className="govuk-heading-m">{disputed ? 'Mark it delivered again' : 'Mark it delivered'}</h2>
      <Form method="post" {...getFormProps(form)} noValidate>
        <Hidden panel="deliver" version={version} />
        <TextareaField
          field={fields.note} label="What did you deliver, and when?" rows={4}
          hint={disputed ? `Say how you have put right what the organisation raised. ${limit}` : `The organisation will be asked to confirm it received this. ${limit}`}
        />
        <SubmitButton name="intent" value="deliver">Mark as delivered</SubmitButton>
      </Form>
    </>
  );
}

/** The contractor withdraws an offered or accepted pledge. */
function WithdrawForm({ version, last }: { version: string; last?: StepReply }) {
  const [form, fields] = usePanelForm('withdraw', last);
  return (
    <>
      <h2 className="govuk-heading-m">Withdraw this pledge</h2>
      <Form method="post" {...getFormProps(form)} noValidate>
        <Hidden panel="withdraw" version={version} />
        <TextareaField field={fields.reason} label="Why are you withdrawing it? (optional)" rows={3} hint={`The organisation will be told. ${limit}`} />
        <SubmitButton name="intent" value="withdraw" variant="warning">Withdraw pledge</SubmitButton>
      </Form>
    </>
  );
}

/** The forms for the steps this user may take now (none for staff or a finished pledge). */
export function NextSteps({ steps, version, last }: { steps: PledgeStep[]; version: string; last?: StepReply }) {
  const has = (step: PledgeStep) => steps.includes(step);
  return (
    <>
      {has('accept') || has('decline') ? <RespondForm version={version} last={last} canAccept={has('accept')} /> : null}
      {has('confirm') ? <ReceiptForm version={version} last={last} disputed={!has('dispute')} /> : null}
      {has('deliver') ? <DeliverForm version={version} last={last} disputed={!has('withdraw')} /> : null}
      {has('withdraw') ? <WithdrawForm version={version} last={last} /> : null}
    </>
  );
}
