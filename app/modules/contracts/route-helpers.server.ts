import type { SubmissionResult } from '@conform-to/react';
import { getDb } from '#db/client';
import { notFound } from '~/auth/guards.server';
import type { SessionUser } from '~/auth/session.server';
import { invalid } from '~/utils/form.server';
import { scopeFor } from './contract-figures.server';
import { findContractInScope, listMeasureOptions, type ServiceResult } from './contracts.server';
import { formatPence } from './figures';
import { listWards } from '~/modules/organisations/organisations.server';

// What the contract routes share: finding the contract a URL names (scoped to
// the user, so another supplier's contract is a 404) and answering a refused change.

/** The contract in the URL, if this user may see it; otherwise a thrown 404. */
export async function requireContract(user: SessionUser, contractId: string | undefined) {
  const contract = contractId ? await findContractInScope(getDb(), contractId, scopeFor(user)) : undefined;
  if (!contract) throw notFound();
  return contract;
}

interface Replyable {
  reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]>;
}

/** A service's refusal as the form's answer: by the field (400), or above the form (409 closed or changed meanwhile). */
export function refused(submission: Replyable, result: Exclude<ServiceResult, { ok: true }>) {
  switch (result.reason) {
    case 'invalid':
      return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    case 'not-found':
      throw notFound();
    case 'closed':
    case 'stale':
      return invalid(submission.reply({ formErrors: [result.message] }), 409);
  }
}

/** The commitment form's choices: active measures (with the current one) and the wards. */
export async function commitmentFormOptions(currentMeasureId?: string) {
  const db = getDb();
  const [measures, wards] = await Promise.all([listMeasureOptions(db, currentMeasureId), listWards(db)]);
  return {
    measures: measures.map((m) => ({ value: m.id, label: `${m.code}: ${m.title} (${m.theme}; ${formatPence(m.proxy_value_pence)} per ${m.unit})` })),
    wards: wards.map((w) => ({ value: w.id, label: w.name })),
  };
}
