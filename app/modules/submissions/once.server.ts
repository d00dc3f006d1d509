import type { DbOrTx } from '#db/client';
import { nowIso } from '~/utils/time';

// Create-forms carry a random key (rendered by the loader). The service looks it
// up and records it in the same transaction as the record it creates, so a double
// click, two tabs or a resent form create one record: the repeat gets the first
// one's id back. Transactions run one at a time on the SQLite connection, and
// the primary key is the backstop.

export const SUBMISSION_KEY_FIELD = 'submissionKey';

export interface Once {
  key: string;
  userId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The form's submission key, if it sent a well-formed one. */
export function onceFrom(formData: FormData, userId: string | null): Once | undefined {
  const key = formData.get(SUBMISSION_KEY_FIELD);
  return typeof key === 'string' && UUID.test(key) ? { key: key.toLowerCase(), userId } : undefined;
}

/** The id created by an earlier submission with this key, if there was one. */
export async function priorResult(tx: DbOrTx, once: Once | undefined, action: string): Promise<string | null> {
  if (!once) return null;
  const row = await tx.selectFrom('form_submission').select('result_id').where('key', '=', once.key).where('action', '=', action).executeTakeFirst();
  return row?.result_id ?? null;
}

export async function rememberResult(tx: DbOrTx, once: Once | undefined, action: string, resultId: string): Promise<void> {
  if (!once) return;
  await tx.insertInto('form_submission').values({ key: once.key, action, user_id: once.userId, result_id: resultId, created_at: nowIso() }).execute();
}
