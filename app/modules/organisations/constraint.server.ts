/** True when SQLite refused a write because of a UNIQUE index (a race another request won). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Carries a field error out of a transaction, so the transaction rolls back. */
export class FieldProblem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'FieldProblem';
  }
}
