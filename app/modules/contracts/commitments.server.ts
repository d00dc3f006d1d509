import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '#db/client';
import type { CommitmentTable } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { DUE_DATE_YEARS_AFTER_END, REASON_REQUIRED, type CommitmentInput } from './contracts.schema';
import { closedMessage, findContract, STALE_MESSAGE, type Contract, type ServiceResult } from './contracts.server';
import { addYears, londonToday } from './dates';
import { formatQuantity } from './figures';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';

// Commitments: what a contract promises on one measure. The proxy value is
// copied from the measure when the commitment is made (or its measure is
// changed before anything is delivered), so later edits to the framework never
// change it. Once the contract has started, a change needs a reason, which the
// audit event keeps with the before and after.

export type Commitment = Selectable<CommitmentTable>;

type Invalid = Extract<ServiceResult, { reason: 'invalid' }>;
const invalid = (field: string, message: string): Invalid => ({ ok: false, reason: 'invalid', field, message });

/** Whether a change to this contract's commitments needs a reason: from its start date on (UK dates). */
export function contractHasStarted(contract: Pick<Contract, 'start_date'>, today = londonToday()): boolean {
  return today >= contract.start_date;
}

export function findCommitment(db: DbOrTx, contractId: string, commitmentId: string): Promise<Commitment | undefined> {
  return db.selectFrom('commitment').selectAll().where('id', '=', commitmentId).where('contract_id', '=', contractId).executeTakeFirst();
}

async function checkCommitment(tx: Tx, contract: Contract, input: CommitmentInput, before?: Commitment) {
  const measure = await tx.selectFrom('measure').select(['id', 'active', 'proxy_value_pence', 'unit']).where('id', '=', input.measureId).executeTakeFirst();
  const measureChanged = !before || before.measure_id !== input.measureId;
  if (!measure || (measureChanged && measure.active !== 1)) return { problem: invalid('measureId', 'Select an active measure from the list') };
  if (before && measureChanged && (before.delivered_milli > 0 || before.substituted_milli > 0)) {
    return { problem: invalid('measureId', 'The measure cannot be changed once delivery or a swap has been recorded against this commitment. Add a new commitment instead') };
  }
  const proxy = measureChanged ? measure.proxy_value_pence : before!.proxy_value_pence;
  if (input.target * proxy > Number.MAX_SAFE_INTEGER) return { problem: invalid('target', 'Target is too large for this measure’s proxy value') };
  if (before) {
    const achieved = before.delivered_milli + before.substituted_milli;
    if (input.target < achieved) {
      return { problem: invalid('target', `Target must be at least ${formatQuantity(achieved, measure.unit)}, which has already been delivered or substituted`) };
    }
  }
  if (input.wardId) {
    const ward = await tx.selectFrom('ward').select('id').where('id', '=', input.wardId).executeTakeFirst();
    if (!ward) return { problem: invalid('wardId', 'Select a ward from the list') };
  }
  if (input.dueDate < contract.start_date) {
    return { problem: invalid('dueDate', `Due date must be on or after the contract’s start date, ${formatDate(contract.start_date)}`) };
  }
  const latest = addYears(contract.end_date, DUE_DATE_YEARS_AFTER_END);
  if (input.dueDate > latest) {
    return { problem: invalid('dueDate', `Due date must be no later than ${formatDate(latest)}, ${DUE_DATE_YEARS_AFTER_END} year after the contract ends`) };
  }
  return { proxy };
}

function snapshot(c: Pick<Commitment, 'measure_id' | 'target_milli' | 'proxy_value_pence' | 'due_date' | 'ward_id' | 'description'>) {
  return {
    measure_id: c.measure_id, target_milli: c.target_milli, proxy_value_pence: c.proxy_value_pence,
    due_date: c.due_date, ward_id: c.ward_id, description: c.description,
  };
}

async function openContract(tx: Tx, contractId: string): Promise<Contract | Exclude<ServiceResult, { ok: true }>> {
  const contract = await findContract(tx, contractId);
  if (!contract) return { ok: false, reason: 'not-found' };
  if (contract.status !== 'active') return { ok: false, reason: 'closed', message: closedMessage(contract) };
  return contract;
}

export async function addCommitment(db: DbOrTx, contractId: string, input: CommitmentInput, actor: Actor, once?: Once): Promise<ServiceResult> {
  return db.transaction().execute(async (tx): Promise<ServiceResult> => {
    const prior = await priorResult(tx, once, 'commitment.create');
    if (prior) return { ok: true, id: prior };
    const contract = await openContract(tx, contractId);
    if ('ok' in contract) return contract;
    const checked = await checkCommitment(tx, contract, input);
    if (checked.problem) return checked.problem;
    const now = nowIso();
    const row = {
      id: newId(), contract_id: contractId, measure_id: input.measureId, target_milli: input.target, proxy_value_pence: checked.proxy,
      due_date: input.dueDate, ward_id: input.wardId || null, description: input.description, created_at: now, updated_at: now,
    };
    await tx.insertInto('commitment').values(row).execute();
    await recordAudit(tx, actor, { action: 'commitment.created', subjectType: 'commitment', subjectId: row.id, after: { contract_id: contractId, ...snapshot(row) } });
    await rememberResult(tx, once, 'commitment.create', row.id);
    return { ok: true, id: row.id };
  });
}

export async function updateCommitment(
  db: DbOrTx, contractId: string, commitmentId: string, input: CommitmentInput, actor: Actor, today = londonToday(),
): Promise<ServiceResult> {
  return db.transaction().execute(async (tx): Promise<ServiceResult> => {
    const contract = await openContract(tx, contractId);
    if ('ok' in contract) return contract;
    const before = await findCommitment(tx, contractId, commitmentId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (input.version && input.version !== before.updated_at) return { ok: false, reason: 'stale', message: STALE_MESSAGE };
    const checked = await checkCommitment(tx, contract, input, before);
    if (checked.problem) return checked.problem;
    const changes = {
      measure_id: input.measureId, target_milli: input.target, proxy_value_pence: checked.proxy,
      due_date: input.dueDate, ward_id: input.wardId || null, description: input.description,
    };
    const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter((k) => changes[k] !== before[k]);
    if (changed.length === 0) return { ok: true, id: commitmentId };
    const reason = input.reason?.trim() || null;
    if (!reason && contractHasStarted(contract, today)) return invalid('reason', REASON_REQUIRED);
    await tx.updateTable('commitment').set({ ...changes, updated_at: nowIso() }).where('id', '=', commitmentId).execute();
    await recordAudit(tx, actor, {
      action: 'commitment.updated', subjectType: 'commitment', subjectId: commitmentId,
      before: snapshot(before), after: { ...snapshot(changes), reason, changed },
    });
    return { ok: true, id: commitmentId };
  });
}
