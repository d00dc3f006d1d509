import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '#db/client';
import type { ContractTable } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import type { ContractScope } from './contract-figures.server';
import { CONTRACT_STATUS_LABELS, DUE_DATE_YEARS_AFTER_END, type CloseContractInput, type ContractInput } from './contracts.schema';
import { addYears } from './dates';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { expireOnClose } from '~/modules/credits/expiry.server';

// Contracts: the repository and the services that create, edit and close them.
// Each service owns its transaction and writes its audit event inside it.

export type Contract = Selectable<ContractTable>;

export type ServiceResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'invalid'; field: string; message: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'closed' | 'stale'; message: string };

export const STALE_MESSAGE = 'Someone else changed this while you were looking at it, and your changes have not been saved. Open the contract to see what changed, or save again to replace their changes with yours.';

export function closedMessage(contract: Pick<Contract, 'status' | 'closed_at'>): string {
  const when = contract.closed_at ? ` on ${formatDate(contract.closed_at)}` : '';
  return `This contract was marked ${CONTRACT_STATUS_LABELS[contract.status].toLowerCase()}${when} and can no longer be changed.`;
}

export function findContract(db: DbOrTx, contractId: string): Promise<Contract | undefined> {
  return db.selectFrom('contract').selectAll().where('id', '=', contractId).executeTakeFirst();
}

/** A contract with its supplier's and officer's names, if this scope may see it (another supplier's is simply not found). */
export function findContractInScope(db: DbOrTx, contractId: string, scope: ContractScope) {
  let query = db
    .selectFrom('contract as c')
    .innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .innerJoin('user as o', 'o.id', 'c.officer_id')
    .selectAll('c')
    .select(['s.name as supplierName', 'o.name as officerName', 'o.email as officerEmail'])
    .where('c.id', '=', contractId);
  if (scope.supplierId !== null) query = query.where('c.supplier_id', '=', scope.supplierId);
  return query.executeTakeFirst();
}

/* ------------------------------------------------------- the forms' choices */

/** Verified suppliers, by name (and the contract's current supplier, whatever its status). */
export function listSupplierOptions(db: DbOrTx, includeId?: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name'])
    .where('kind', '=', 'supplier')
    .where((eb) => (includeId ? eb.or([eb('status', '=', 'verified'), eb('id', '=', includeId)]) : eb('status', '=', 'verified')))
    .orderBy(sql`name COLLATE NOCASE`)
    .execute();
}

/** Every supplier organisation, for the list's filter. */
export function listAllSuppliers(db: DbOrTx) {
  return db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'supplier').orderBy(sql`name COLLATE NOCASE`).execute();
}

/** Active officers and administrators (and the contract's current officer), by name. */
export function listOfficerOptions(db: DbOrTx, includeId?: string) {
  return db
    .selectFrom('user')
    .select(['id', 'name', 'email'])
    .where('role', 'in', ['officer', 'admin'])
    .where((eb) => (includeId ? eb.or([eb('status', '=', 'active'), eb('id', '=', includeId)]) : eb('status', '=', 'active')))
    .orderBy(sql`name COLLATE NOCASE`)
    .orderBy('email')
    .execute();
}

/** Officers and administrators for the list's filter: every one for staff; for a supplier, those responsible for its contracts. */
export function listAllOfficers(db: DbOrTx, scope: ContractScope) {
  let query = db.selectFrom('user').select(['id', 'name', 'email']).where('role', 'in', ['officer', 'admin']);
  if (scope.supplierId !== null) {
    const supplierId = scope.supplierId;
    query = query.where('id', 'in', (eb) => eb.selectFrom('contract').select('officer_id').where('supplier_id', '=', supplierId));
  }
  return query.orderBy(sql`name COLLATE NOCASE`).orderBy('email').execute();
}

/** Active measures by theme and code (and the commitment's current measure, even if retired). */
export function listMeasureOptions(db: DbOrTx, includeId?: string) {
  return db
    .selectFrom('measure')
    .select(['id', 'code', 'title', 'unit', 'theme', 'proxy_value_pence'])
    .where((eb) => (includeId ? eb.or([eb('active', '=', 1), eb('id', '=', includeId)]) : eb('active', '=', 1)))
    .orderBy('theme')
    .orderBy('code')
    .execute();
}

/** The themes of the measures framework, for the list's filter (read from the measure_theme index). */
export async function listThemes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('measure').select('theme').distinct().orderBy('theme').execute();
  return rows.map((r) => r.theme);
}

/* ------------------------------------------------------------- the rules */

type Invalid = Extract<ServiceResult, { reason: 'invalid' }>;
const invalid = (field: string, message: string): Invalid => ({ ok: false, reason: 'invalid', field, message });

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const referenceTaken = (reference: string) => `Reference ${reference} is already used by another contract. Each reference must be unique (capitals do not count)`;

async function checkContract(tx: Tx, input: ContractInput, before?: Contract): Promise<Invalid | null> {
  let taken = tx.selectFrom('contract').select('id').where('reference', '=', input.reference);
  if (before) taken = taken.where('id', '!=', before.id);
  if (await taken.executeTakeFirst()) return invalid('reference', referenceTaken(input.reference));

  if (input.supplierId !== before?.supplier_id) {
    const supplier = await tx.selectFrom('organisation').select(['kind', 'status']).where('id', '=', input.supplierId).executeTakeFirst();
    if (!supplier || supplier.kind !== 'supplier' || supplier.status !== 'verified') return invalid('supplierId', 'Select a verified supplier from the list');
  }
  if (input.officerId !== before?.officer_id) {
    const officer = await tx.selectFrom('user').select(['role', 'status']).where('id', '=', input.officerId).executeTakeFirst();
    if (!officer || (officer.role !== 'officer' && officer.role !== 'admin') || officer.status !== 'active') {
      return invalid('officerId', 'Select an active council officer or administrator from the list');
    }
  }
  if (before) {
    // Every commitment must still fall due inside the contract's new dates.
    const span = await tx
      .selectFrom('commitment')
      .select([sql<string | null>`min(due_date)`.as('first'), sql<string | null>`max(due_date)`.as('last')])
      .where('contract_id', '=', before.id)
      .executeTakeFirstOrThrow();
    if (span.first && span.first < input.startDate) {
      return invalid('startDate', `Start date must be on or before ${formatDate(span.first)}, when the first commitment is due. Change that commitment first`);
    }
    if (span.last && span.last > addYears(input.endDate, DUE_DATE_YEARS_AFTER_END)) {
      return invalid('endDate', `End date must be no more than ${DUE_DATE_YEARS_AFTER_END} year before ${formatDate(span.last)}, when the last commitment is due. Change that commitment first`);
    }
  }
  return null;
}

function snapshot(c: Pick<Contract, 'reference' | 'title' | 'description' | 'supplier_id' | 'value_pence' | 'start_date' | 'end_date' | 'officer_id' | 'status'>) {
  return {
    reference: c.reference, title: c.title, description: c.description, supplier_id: c.supplier_id, value_pence: c.value_pence,
    start_date: c.start_date, end_date: c.end_date, officer_id: c.officer_id, status: c.status,
  };
}

function fields(input: ContractInput) {
  return {
    reference: input.reference, title: input.title, description: input.description ?? '', supplier_id: input.supplierId,
    value_pence: input.value, start_date: input.startDate, end_date: input.endDate, officer_id: input.officerId,
  };
}

/* ------------------------------------------------------------ the services */

export async function createContract(db: DbOrTx, input: ContractInput, actor: Actor, once?: Once): Promise<ServiceResult> {
  try {
    return await db.transaction().execute(async (tx) => {
      const prior = await priorResult(tx, once, 'contract.create');
      if (prior) return { ok: true as const, id: prior };
      const problem = await checkContract(tx, input);
      if (problem) return problem;
      const id = newId();
      const now = nowIso();
      const row = { id, ...fields(input), status: 'active' as const, closed_at: null, closure_reason: null, created_at: now, updated_at: now };
      await tx.insertInto('contract').values(row).execute();
      await recordAudit(tx, actor, { action: 'contract.created', subjectType: 'contract', subjectId: id, after: snapshot(row) });
      await rememberResult(tx, once, 'contract.create', id);
      return { ok: true as const, id };
    });
  } catch (error) {
    // Two officers saving the same new reference at once: the unique index decides.
    if (isUniqueViolation(error)) return invalid('reference', referenceTaken(input.reference));
    throw error;
  }
}

export async function updateContract(db: DbOrTx, contractId: string, input: ContractInput, actor: Actor): Promise<ServiceResult> {
  try {
    return await db.transaction().execute(async (tx): Promise<ServiceResult> => {
      const before = await findContract(tx, contractId);
      if (!before) return { ok: false, reason: 'not-found' };
      if (before.status !== 'active') return { ok: false, reason: 'closed', message: closedMessage(before) };
      if (input.version && input.version !== before.updated_at) return { ok: false, reason: 'stale', message: STALE_MESSAGE };
      const problem = await checkContract(tx, input, before);
      if (problem) return problem;
      const after = { ...before, ...fields(input), updated_at: nowIso() };
      await tx.updateTable('contract').set({ ...fields(input), updated_at: after.updated_at }).where('id', '=', contractId).execute();
      await recordAudit(tx, actor, { action: 'contract.updated', subjectType: 'contract', subjectId: contractId, before: snapshot(before), after: snapshot(after) });
      return { ok: true, id: contractId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid('reference', referenceTaken(input.reference));
    throw error;
  }
}

/** Marks an active contract completed or terminated, with the reason. A closed contract never changes again. */
export async function closeContract(db: DbOrTx, contractId: string, input: CloseContractInput, actor: Actor): Promise<ServiceResult> {
  return db.transaction().execute(async (tx): Promise<ServiceResult> => {
    const before = await findContract(tx, contractId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.status !== 'active') return { ok: false, reason: 'closed', message: closedMessage(before) };
    if (input.version && input.version !== before.updated_at) return { ok: false, reason: 'stale', message: STALE_MESSAGE };
    const now = nowIso();
    const changes = { status: input.status, closed_at: now, closure_reason: input.reason, updated_at: now };
    // The status condition makes a second, simultaneous close a no-op rather than a second decision.
    const result = await tx.updateTable('contract').set(changes).where('id', '=', contractId).where('status', '=', 'active').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: 'closed', message: closedMessage({ status: input.status, closed_at: now }) };
    // Unspent credits expire with the contract when the credit policy says so (docs/credits.md).
    const expired = await expireOnClose(tx, contractId, { status: CONTRACT_STATUS_LABELS[input.status].toLowerCase(), closedBy: actor.userId, at: now });
    await recordAudit(tx, actor, {
      action: 'contract.closed', subjectType: 'contract', subjectId: contractId,
      before: { status: before.status }, after: { status: input.status, closed_at: now, closure_reason: input.reason, creditsExpired: expired ?? undefined },
    });
    return { ok: true, id: contractId };
  });
}
