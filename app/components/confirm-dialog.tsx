import * as Dialog from '@radix-ui/react-dialog';
import { Form, useNavigation } from '@remix-run/react';
import { useId, useRef, useState, type CSSProperties, type ReactNode } from 'react';

// A confirmation that asks for a reason, in a Radix dialog (focus trapped,
// Escape closes, focus returns to the button that opened it). Without
// JavaScript the button is a plain link to a page doing the same thing
// (`href`), so it is rendered as a link and the dialog enhances it.
//
// Strict CSP (style-src 'self', no inline <style>): Radix's Dialog.Overlay
// injects a scroll-lock <style> element, which the CSP refuses, so the overlay
// here is a plain element. Its look, like the panel's, is set through React's
// style property, which the browser applies through the CSSOM (allowed); the
// dialog only ever renders in the browser, never in server HTML.

const BACKDROP: CSSProperties = { position: 'fixed', inset: 0, background: 'rgba(11, 12, 12, 0.6)', zIndex: 1000 };
const PANEL: CSSProperties = {
  position: 'fixed', top: '50%', left: '50%', transform: 'translate(-50%, -50%)', zIndex: 1001, background: '#ffffff',
  width: 'min(40rem, calc(100vw - 2rem))', maxHeight: 'calc(100vh - 2rem)', overflowY: 'auto', padding: '1.5rem', boxSizing: 'border-box',
  border: '4px solid #0b0c0c',
};

export interface ConfirmDialogProps {
  /** The button's text, e.g. "Approve". */
  label: string;
  /** The page doing the same without JavaScript. */
  href: string;
  title: string;
  description: ReactNode;
  /** Where the form posts. */
  action: string;
  /** Hidden fields sent with the reason (e.g. decision=approve). */
  hidden: Record<string, string>;
  reasonLabel: string;
  reasonHint?: string;
  /** The message when the reason is left empty (checked before sending; the server checks again). */
  reasonRequired: string;
  confirmLabel: string;
  variant?: 'warning' | 'secondary';
}

export function ConfirmDialog({ label, href, title, description, action, hidden, reasonLabel, reasonHint, reasonRequired, confirmLabel, variant }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = useNavigation().state === 'submitting';
  const opener = useRef<HTMLAnchorElement>(null);
  const id = useId().replace(/:/g, '');
  const reasonId = `${id}-reason`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const buttonClass = `govuk-button${variant ? ` govuk-button--${variant}` : ''}`;
  return (
    <Dialog.Root open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <a
        ref={opener}
        href={href}
        role="button"
        draggable="false"
        className={buttonClass}
        data-module="govuk-button"
        onClick={(event) => {
          event.preventDefault();
          setOpen(true);
        }}
      >
        {label}
      </a>
      <Dialog.Portal>
        <div style={BACKDROP} aria-hidden="true" />
        <Dialog.Content
          style={PANEL}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            opener.current?.focus();
          }}
        >
          <Dialog.Title className="govuk-heading-m">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="govuk-body">{description}</div>
          </Dialog.Description>
          <Form
            method="post"
            action={action}
            noValidate
            onSubmit={(event) => {
              const reason = (event.currentTarget.elements.namedItem('reason') as HTMLTextAreaElement | null)?.value.trim();
              if (!reason) {
                event.preventDefault();
                setError(reasonRequired);
                document.getElementById(reasonId)?.focus();
              }
            }}
          >
            {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
            <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--s" htmlFor={reasonId}>{reasonLabel}</label>
              {reasonHint ? <div id={hintId} className="govuk-hint">{reasonHint}</div> : null}
              {error ? <p id={errorId} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p> : null}
              <textarea
                className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
                id={reasonId}
                name="reason"
                rows={4}
                aria-describedby={[reasonHint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined}
                aria-invalid={error ? true : undefined}
              />
            </div>
            <div className="govuk-button-group">
              <button type="submit" className={buttonClass} data-module="govuk-button" aria-disabled={busy || undefined}
                onClick={(event) => { if (busy) event.preventDefault(); }}>{confirmLabel}</button>
              <Dialog.Close asChild>
                <button type="button" className="govuk-button govuk-button--secondary" data-module="govuk-button">Cancel</button>
              </Dialog.Close>
            </div>
          </Form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
