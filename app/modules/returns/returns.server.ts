import type { Selectable } from 'kysely';
import type { Db, Tx } from '#db/client';
import type { ProgressReturnTable, ReturnCommentKind, Role } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { closedMessage, isUniqueViolation } from '~/modules/contracts/contracts.server';
import { londonToday } from '~/modules/contracts/dates';
import { formatQuantity } from '~/modules/contracts/figures';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import type { StoredFile } from './evidence-limits';
import { attachFiles, attachLink, discardUnreferenced } from './evidence-store.server';
import { periodsBetween, type Period, type ReportingPeriod } from './periods';
import { periodLabel } from './returns.present';
import { EDITABLE_STATUSES, NARRATIVE_REQUIRED, REPLY_REQUIRED, RETURN_STATUS_LABELS } from './returns.schema';

// The contractor's side of progress returns: draft, submit, edit and resubmit.
// Each service owns its transaction: the return, its evidence rows, the thread's
// step, the audit event and the officer's notification are written together or
// not at all. Files are stored before the transaction (they stream to disk), so
// a refusal or a failure afterwards discards the ones nothing refers to.

export type ProgressReturn = Selectable<ProgressReturnTable>;

export type ReturnResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'invalid'; field: string; message: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'closed' | 'locked' | 'stale'; message: string };

/** Who is writing: a contractor may only touch their own organisation's returns. */
export interface Author {
  id: string;
  organisationId: string;
  role: Role;
}

export interface EvidenceInput {
  files?: StoredFile[];
  links?: Array<{ url: string; title: string }>;
  /** Evidence rows to remove (drafts only). */
  remove?: string[];
}

export interface ReturnFields {
  quantity: number;
  narrative?: string;
  isStory: boolean;
}

type Fail = Exclude<ReturnResult, { ok: true }>;
const invalid = (field: string, message: string): Fail => ({ ok: false, reason: 'invalid', field, message });

export const STALE_RETURN = 'This return was changed in another tab or by a colleague while you were editing it, and your changes have not been saved. Reload the page to see the latest version.';

export function lockedMessage(r: Pick<ProgressReturn, 'status' | 'submitted_at' | 'decided_at'>): string {
  if (r.status === 'submitted') return `This return was submitted${r.submitted_at ? ` on ${formatDate(r.submitted_at)}` : ''} and is waiting for an officer’s review, so it can no longer be changed. Add a comment instead.`;
  return `This return has been ${RETURN_STATUS_LABELS[r.status].toLowerCase()}${r.decided_at ? ` (${formatDate(r.decided_at)})` : ''} and can no longer be changed.`;
}

/** The periods a commitment can be reported for: from the contract's start to the current period (or its end date). */
export function reportablePeriods(kind: ReportingPeriod, contract: { start_date: string; end_date: string }, today = londonToday()): Period[] {
  return periodsBetween(kind, contract.start_date, today < contract.end_date ? today : contract.end_date);
}

/** A live (not rejected) return of this commitment overlapping the dates, if there is one. */
export function findLiveReturn(db: Db | Tx, commitmentId: string, start: string, end: string, exceptId?: string) {
  let query = db
    .selectFrom('progress_return')
    .select(['id', 'status', 'period_start', 'period_end'])
    .where('commitment_id', '=', commitmentId)
    .where('status', '!=', 'rejected')
    .where('period_start', '<=', end)
    .where('period_end', '>=', start);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

const periodTaken = (label: string, status?: string) =>
  `A return for ${label} already exists for this commitment${status ? ` (${RETURN_STATUS_LABELS[status as keyof typeof RETURN_STATUS_LABELS]?.toLowerCase() ?? status})` : ''}. Open it from “Returns for this commitment” to continue, or choose another period`;

/** Writes after the change: the thread's step, the audit event and, when sent, the officer's notification. */
async function record(tx: Tx, actor: Actor, author: Author, r: ProgressReturn, kind: ReturnCommentKind | null, body = '') {
  if (kind) {
    await tx.insertInto('return_comment').values({ id: newId(), return_id: r.id, author_id: author.id, kind, body, created_at: nowIso() }).execute();
    await recordAudit(tx, actor, { action: `return.${kind}`, subjectType: 'progress_return', subjectId: r.id, after: { status: r.status, quantity_milli: r.quantity_milli, reply: body || undefined } });
  }
  if (kind === 'submitted' || kind === 'resubmitted') await notifyOfficer(tx, r, kind);
}

/** Tells the contract's responsible officer; while their account is deactivated, every active officer and admin, so the return is not missed. */
async function notifyOfficer(tx: Tx, r: ProgressReturn, kind: 'submitted' | 'resubmitted') {
  const info = await tx
    .selectFrom('contract as c')
    .innerJoin('user as o', 'o.id', 'c.officer_id')
    .innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .innerJoin('commitment as cm', 'cm.contract_id', 'c.id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select(['c.reference', 'c.title', 'o.id as officerId', 'o.email as officerEmail', 'o.name as officerName', 'o.status as officerStatus', 's.name as supplierName', 'm.code', 'm.title as measureTitle', 'm.unit'])
    .where('cm.id', '=', r.commitment_id)
    .executeTakeFirstOrThrow();
  const standIn = info.officerStatus !== 'active';
  const recipients = standIn
    ? await tx.selectFrom('user').select(['id', 'email']).where('role', 'in', ['officer', 'admin']).where('status', '=', 'active').orderBy('email').execute()
    : [{ id: info.officerId, email: info.officerEmail }];
  const period = periodLabel(r.period_start, r.period_end);
  const verb = kind === 'submitted' ? 'submitted' : `resubmitted, with the information ${standIn ? 'the council' : 'you'} asked for,`;
  const why = standIn ? `You are told because the contract’s responsible officer, ${info.officerName}, no longer has an active account. Give the contract an active responsible officer so that its returns reach them.\n\n` : '';
  for (const to of recipients) {
    await enqueueNotification(tx, {
      kind: 'return_submitted',
      toEmail: to.email,
      toUserId: to.id,
      subject: `Progress return ${kind}: ${info.reference}, ${period}`,
      body: `${info.supplierName} ${verb} a progress return for contract ${info.reference} (${info.title}).\n\nCommitment: ${info.code} ${info.measureTitle}\nPeriod: ${period}\nQuantity delivered: ${formatQuantity(r.quantity_milli, info.unit)}\n\n${why}Review it in the portal:`,
      linkPath: `/returns/${r.id}`,
      dedupeKey: `return_submitted:${r.id}:${r.submitted_at}:${to.id}`,
    });
  }
}

/** Thrown inside a transaction to roll it back and answer with this refusal. */
class Refusal extends Error {
  constructor(readonly result: Fail) {
    super('refused');
  }
}

async function attachEvidence(tx: Tx, returnId: string, evidence: EvidenceInput, userId: string) {
  if (evidence.files?.length) {
    const attached = await attachFiles(tx, returnId, evidence.files, userId);
    if (!attached.ok) throw new Refusal(invalid('evidence', attached.message));
  }
  for (const link of evidence.links ?? []) {
    const attached = await attachLink(tx, returnId, link, userId);
    if (!attached.ok) throw new Refusal(invalid('evidence', attached.message));
  }
}

/**
 * Runs the transaction (a Refusal rolls it back and is answered); afterwards any of
 * the given files that nothing refers to (it was refused, it threw, a repeated form
 * found the first one's return, or evidence was removed) are deleted from disk.
 */
async function withEvidence(db: Db, evidence: EvidenceInput, work: (discard: StoredFile[]) => Promise<ReturnResult>): Promise<ReturnResult> {
  const discard: StoredFile[] = [...(evidence.files ?? [])];
  try {
    return await work(discard);
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    throw error;
  } finally {
    if (discard.length) await discardUnreferenced(db, discard);
  }
}

export interface NewReturn extends ReturnFields {
  intent: 'draft' | 'submit';
  /** The chosen period's start date (YYYY-MM-DD). */
  period: string;
}

/** A new return for a commitment of the author's organisation's active contract: saved as a draft or submitted at once. */
export async function createReturn(
  db: Db, author: Author, commitmentId: string, input: NewReturn, evidence: EvidenceInput, actor: Actor, once?: Once, today = londonToday(),
): Promise<ReturnResult> {
  return withEvidence(db, evidence, async () => {
    let chosen: Period | undefined;
    try {
      return await db.transaction().execute(async (tx): Promise<ReturnResult> => {
        const prior = await priorResult(tx, once, 'return.create');
        if (prior) return { ok: true, id: prior };
        const found = await tx
          .selectFrom('commitment as cm')
          .innerJoin('contract as c', 'c.id', 'cm.contract_id')
          .select(['cm.id', 'c.id as contractId', 'c.supplier_id', 'c.status', 'c.closed_at', 'c.start_date', 'c.end_date'])
          .where('cm.id', '=', commitmentId)
          .where('c.supplier_id', '=', author.organisationId)
          .executeTakeFirst();
        if (!found) return { ok: false, reason: 'not-found' };
        if (found.status !== 'active') return { ok: false, reason: 'closed', message: closedMessage(found) };
        const period = reportablePeriods(await getReportingPeriod(tx), found, today).find((p) => p.start === input.period);
        if (!period) return invalid('period', 'Select a reporting period from the list');
        chosen = period;
        const live = await findLiveReturn(tx, commitmentId, period.start, period.end);
        if (live) return invalid('period', periodTaken(periodLabel(live.period_start, live.period_end), live.status));
        if (input.intent === 'submit' && !input.narrative) return invalid('narrative', NARRATIVE_REQUIRED);

        const now = nowIso();
        const submit = input.intent === 'submit';
        const row: ProgressReturn = {
          id: newId(), commitment_id: commitmentId, contract_id: found.contractId, supplier_id: found.supplier_id,
          period_start: period.start, period_end: period.end, quantity_milli: input.quantity, narrative: input.narrative ?? '',
          is_story: input.isStory ? 1 : 0, status: submit ? 'submitted' : 'draft', approved_quantity_milli: null, decision_reason: null,
          decided_by: null, decided_at: null, submitted_at: submit ? now : null, first_submitted_at: submit ? now : null,
          created_by: author.id, created_at: now, updated_at: now,
        };
        await tx.insertInto('progress_return').values(row).execute();
        await recordAudit(tx, actor, {
          action: 'return.created', subjectType: 'progress_return', subjectId: row.id,
          after: { commitment_id: commitmentId, period_start: row.period_start, period_end: row.period_end, quantity_milli: row.quantity_milli, is_story: row.is_story, status: row.status },
        });
        await attachEvidence(tx, row.id, evidence, author.id);
        await record(tx, actor, author, row, submit ? 'submitted' : null);
        await rememberResult(tx, once, 'return.create', row.id);
        return { ok: true, id: row.id };
      });
    } catch (error) {
      // Two tabs racing for the same period: the partial unique index decides. Name what the other one made.
      if (isUniqueViolation(error)) {
        const live = chosen && (await findLiveReturn(db, commitmentId, chosen.start, chosen.end));
        return invalid('period', live ? periodTaken(periodLabel(live.period_start, live.period_end), live.status) : periodTaken('this period'));
      }
      throw error;
    }
  });
}

export interface ReturnChanges extends Partial<ReturnFields> {
  /** draft: save and keep the status; send: submit a draft or resubmit after more information was requested. */
  intent: 'draft' | 'send';
  /** The updated_at the form was loaded at: a stale form is refused. */
  version?: string;
  /** Required when resubmitting after more information was requested: the answer, added to the thread. */
  reply?: string;
}

/** Edits a draft or a return sent back for more information, and optionally (re)submits it. */
export async function editReturn(db: Db, author: Author, returnId: string, changes: ReturnChanges, evidence: EvidenceInput, actor: Actor): Promise<ReturnResult> {
  return withEvidence(db, evidence, (discard) => db.transaction().execute(async (tx): Promise<ReturnResult> => {
    const before = await tx.selectFrom('progress_return').selectAll().where('id', '=', returnId).where('supplier_id', '=', author.organisationId).executeTakeFirst();
    if (!before) return { ok: false, reason: 'not-found' };
    const contract = await tx.selectFrom('contract').select(['status', 'closed_at']).where('id', '=', before.contract_id).executeTakeFirstOrThrow();
    if (contract.status !== 'active') return { ok: false, reason: 'closed', message: closedMessage(contract) };
    if (!EDITABLE_STATUSES.includes(before.status)) return { ok: false, reason: 'locked', message: lockedMessage(before) };
    if (changes.version && changes.version !== before.updated_at) return { ok: false, reason: 'stale', message: STALE_RETURN };
    if (evidence.remove?.length && before.status !== 'draft') return invalid('removeEvidence', 'Evidence can only be removed while the return is a draft');

    const send = changes.intent === 'send';
    const narrative = changes.narrative ?? before.narrative;
    if (send && !narrative) return invalid('narrative', NARRATIVE_REQUIRED);
    const resubmit = send && before.status === 'more_info_requested';
    if (resubmit && !changes.reply?.trim()) return invalid('reply', REPLY_REQUIRED);

    const now = nowIso();
    const after: ProgressReturn = {
      ...before,
      quantity_milli: changes.quantity ?? before.quantity_milli,
      narrative,
      is_story: changes.isStory === undefined ? before.is_story : changes.isStory ? 1 : 0,
      status: send ? 'submitted' : before.status,
      submitted_at: send ? now : before.submitted_at,
      first_submitted_at: before.first_submitted_at ?? (send ? now : null),
      updated_at: now,
    };
    await tx.updateTable('progress_return').set({
      quantity_milli: after.quantity_milli, narrative: after.narrative, is_story: after.is_story, status: after.status,
      submitted_at: after.submitted_at, first_submitted_at: after.first_submitted_at, updated_at: now,
    }).where('id', '=', returnId).where('updated_at', '=', before.updated_at).execute();

    let removed = 0;
    if (evidence.remove?.length) {
      const rows = await tx.selectFrom('return_evidence').select(['id', 'kind', 'file_name', 'url', 'sha256', 'size_bytes', 'content_type'])
        .where('return_id', '=', returnId).where('id', 'in', evidence.remove).execute();
      if (rows.length) await tx.deleteFrom('return_evidence').where('id', 'in', rows.map((r) => r.id)).execute();
      removed = rows.length;
      // Their files are deleted after commit unless another return still refers to the same content.
      for (const r of rows) {
        if (r.sha256) discard.push({ sha256: r.sha256, sizeBytes: r.size_bytes ?? 0, contentType: r.content_type ?? '', fileName: r.file_name ?? '' });
      }
    }
    const changed = (['quantity_milli', 'narrative', 'is_story'] as const).filter((k) => before[k] !== after[k]);
    if (changed.length || removed || evidence.files?.length || evidence.links?.length) {
      await recordAudit(tx, actor, {
        action: 'return.updated', subjectType: 'progress_return', subjectId: returnId,
        before: { quantity_milli: before.quantity_milli, narrative: before.narrative, is_story: before.is_story },
        after: { quantity_milli: after.quantity_milli, narrative: after.narrative, is_story: after.is_story, changed, evidence_removed: removed, evidence_added: (evidence.files?.length ?? 0) + (evidence.links?.length ?? 0) },
      });
    }
    await attachEvidence(tx, returnId, evidence, author.id);
    await record(tx, actor, author, after, send ? (resubmit ? 'resubmitted' : 'submitted') : null, resubmit ? changes.reply!.trim() : '');
    return { ok: true, id: returnId };
  }));
}

/** Saves changes to a draft (or to a return awaiting more information) without sending it. */
export function updateDraft(db: Db, author: Author, returnId: string, fields: Partial<ReturnFields> & { version?: string }, evidence: EvidenceInput, actor: Actor) {
  return editReturn(db, author, returnId, { ...fields, intent: 'draft' }, evidence, actor);
}

/** Sends a draft as it is: draft → submitted. */
export function submitReturn(db: Db, author: Author, returnId: string, actor: Actor) {
  return editReturn(db, author, returnId, { intent: 'send' }, {}, actor);
}

/** Answers a request for more information: more_info_requested → submitted, with the reply in the thread. */
export function resubmitReturn(db: Db, author: Author, returnId: string, reply: string, actor: Actor, fields: Partial<ReturnFields> = {}, evidence: EvidenceInput = {}) {
  return editReturn(db, author, returnId, { ...fields, intent: 'send', reply }, evidence, actor);
}
