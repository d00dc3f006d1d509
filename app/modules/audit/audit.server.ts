import type { DbOrTx } from '#db/client';
import { nowIso } from '~/utils/time';

/** Who is acting, and under which request: passed from the route to every service. */
export interface Actor {
  userId: string | null;
  organisationId: string | null;
  requestId?: string | null;
}

export const systemActor: Actor = { userId: null, organisationId: null, requestId: null };

export interface AuditInput {
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELDS = new Set(['password_hash', 'secret_hash', 'token_hash', 'password']);

function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v) => (SECRET_FIELDS.has(key) ? '[redacted]' : v));
}

/** Writes one audit event. Call it inside the transaction that makes the change. */
export async function recordAudit(tx: DbOrTx, actor: Actor, input: AuditInput): Promise<void> {
  await tx
    .insertInto('audit_event')
    .values({
      occurred_at: nowIso(),
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      action: input.action,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      before_json: toJson(input.before),
      after_json: toJson(input.after),
      request_id: actor.requestId ?? null,
    })
    .execute();
}
