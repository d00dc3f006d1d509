import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { ReturnStatus } from '#db/schema';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { newId } from '~/utils/ids.server';
import { ITEMS_PER_DIGEST, sendReturnReminders } from './reminders.server';

async function setUp() {
  const supplier = await makeOrganisation('supplier');
  const measure = await makeMeasure();
  const contract = await makeContract({ supplierId: supplier.id, startDate: '2026-04-01', endDate: '2028-03-31' });
  const commitment = await makeCommitment(contract.id, measure.id, { dueDate: '2027-03-31' });
  const alice = await makeUser('contractor', { organisationId: supplier.id });
  const bob = await makeUser('contractor', { organisationId: supplier.id });
  return { supplier, measure, contract, commitment, alice, bob };
}

async function insertReturn(commitmentId: string, createdBy: string, periodStart: string, periodEnd: string, status: ReturnStatus) {
  const c = await getDb().selectFrom('commitment').innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['contract.id', 'contract.supplier_id']).where('commitment.id', '=', commitmentId).executeTakeFirstOrThrow();
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('progress_return').values({
    id, commitment_id: commitmentId, contract_id: c.id, supplier_id: c.supplier_id, period_start: periodStart, period_end: periodEnd,
    quantity_milli: 1000, status, approved_quantity_milli: null, decision_reason: null, decided_by: null, decided_at: null,
    submitted_at: status === 'draft' ? null : now, first_submitted_at: status === 'draft' ? null : now, created_by: createdBy, created_at: now, updated_at: now,
  }).execute();
  return id;
}

const messagesFor = (userIds: string[]) =>
  getDb().selectFrom('notification').select(['to_user_id', 'to_email', 'subject', 'body_text', 'link', 'dedupe_key', 'kind'])
    .where('to_user_id', 'in', userIds).orderBy('created_at').orderBy('dedupe_key').execute();

describe('sendReturnReminders', () => {
  it('emails each active contractor user once about a return, however often it runs', async () => {
    const { contract, measure, alice, bob } = await setUp();
    // 30 Jun: the Apr–Jun return is due by 14 Jul.
    expect(await sendReturnReminders(getDb(), '2026-06-30')).toMatchObject({ queued: 2, reminders: 2 });
    const messages = await messagesFor([alice.id, bob.id]);
    expect(messages.map((m) => m.to_user_id).sort()).toEqual([alice.id, bob.id].sort());
    const toAlice = messages.find((m) => m.to_user_id === alice.id)!;
    expect(toAlice).toMatchObject({ kind: 'return_reminder', to_email: alice.email, subject: '1 progress return due soon' });
    expect(toAlice.body_text).toContain(`- ${measure.code} Measure ${measure.code}, contract ${contract.reference}, Apr to Jun 2026: due by 14 Jul 2026`);
    expect(toAlice.link).toMatch(/^https?:\/\/[^/]+\/$/);

    const total = async () => (await getDb().selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await total();
    expect(await sendReturnReminders(getDb(), '2026-06-30')).toEqual({ queued: 0, reminders: 0, deferred: 0 });
    expect(await sendReturnReminders(getDb(), '2026-07-01')).toEqual({ queued: 0, reminders: 0, deferred: 0 });
    expect(await total()).toBe(before);
  });

  it('sends an overdue reminder after the due-soon one, and says when a draft is waiting', async () => {
    const { commitment, alice, bob } = await setUp();
    await sendReturnReminders(getDb(), '2026-07-10');
    await insertReturn(commitment.id, alice.id, '2026-04-01', '2026-06-30', 'draft');
    await sendReturnReminders(getDb(), '2026-07-15');
    await sendReturnReminders(getDb(), '2026-07-16');
    const messages = await messagesFor([alice.id]);
    expect(messages.map((m) => m.subject)).toEqual(['1 progress return due soon', '1 progress return overdue']);
    expect(messages[1]!.body_text).toContain('These progress returns are overdue');
    expect(messages[1]!.body_text).toContain('was due on 14 Jul 2026 (a draft is waiting to be finished)');
    expect(messages[0]!.body_text).not.toContain('draft');
    expect(await messagesFor([bob.id])).toHaveLength(2);
  });

  it('gathers everything new for a person into one email, however many periods are behind', async () => {
    const { alice } = await setUp();
    // 31 Dec: Apr–Jun and Jul–Sep are overdue, Oct–Dec is due soon.
    await sendReturnReminders(getDb(), '2026-12-31');
    const messages = await messagesFor([alice.id]);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.subject).toBe('2 progress returns overdue, 1 progress return due soon');
    expect(messages[0]!.body_text.match(/^- /gm)).toHaveLength(3);
    const recorded = await getDb().selectFrom('return_reminder').select(['key', 'digest_key']).where('user_id', '=', alice.id).execute();
    expect(recorded).toHaveLength(3);
    expect(new Set(recorded.map((r) => r.digest_key))).toEqual(new Set([messages[0]!.dedupe_key]));
  });

  it('sends nothing once the return is submitted, nor for a closed contract', async () => {
    const { contract, commitment, alice } = await setUp();
    await insertReturn(commitment.id, alice.id, '2026-04-01', '2026-06-30', 'submitted');
    await sendReturnReminders(getDb(), '2026-07-20');
    expect(await messagesFor([alice.id])).toEqual([]);

    // The next quarter is due soon on 30 Sep; after a "more information" request, nothing is asked either.
    await insertReturn(commitment.id, alice.id, '2026-07-01', '2026-09-30', 'more_info_requested');
    await sendReturnReminders(getDb(), '2026-10-20');
    expect(await messagesFor([alice.id])).toEqual([]);

    await getDb().updateTable('contract').set({ status: 'terminated' }).where('id', '=', contract.id).execute();
    await sendReturnReminders(getDb(), '2027-02-01');
    expect(await messagesFor([alice.id])).toEqual([]);
  });

  it('emails only active contractor users of the supplier', async () => {
    const { alice, bob } = await setUp();
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', bob.id).execute();
    const stranger = await makeUser('contractor');
    const officer = await makeUser('officer');
    await sendReturnReminders(getDb(), '2026-06-30');
    expect((await messagesFor([alice.id])).length).toBe(1);
    expect(await messagesFor([bob.id, stranger.id, officer.id])).toEqual([]);
  });

  it('queues at most `limit` emails a run and the rest on the next runs', async () => {
    const { alice, bob } = await setUp();
    // Catch up every earlier supplier in this file first, so only this one's reminders are new.
    await sendReturnReminders(getDb(), '2026-06-30');
    await getDb().deleteFrom('return_reminder').where('user_id', 'in', [alice.id, bob.id]).execute();
    await getDb().deleteFrom('notification').where('to_user_id', 'in', [alice.id, bob.id]).execute();
    expect(await sendReturnReminders(getDb(), '2026-06-30', { limit: 1 })).toEqual({ queued: 1, reminders: 1, deferred: 1 });
    expect(await sendReturnReminders(getDb(), '2026-06-30', { limit: 1 })).toEqual({ queued: 1, reminders: 1, deferred: 0 });
    expect(await messagesFor([alice.id, bob.id])).toHaveLength(2);
  });

  it('lists at most ITEMS_PER_DIGEST returns in one email; the rest come in the next', async () => {
    const supplier = await makeOrganisation('supplier');
    const measure = await makeMeasure();
    const contract = await makeContract({ supplierId: supplier.id, startDate: '2017-04-01', endDate: '2030-03-31' });
    await makeCommitment(contract.id, measure.id, { dueDate: '2030-03-31' });
    const carol = await makeUser('contractor', { organisationId: supplier.id });
    // Quarterly since April 2017: more overdue returns than one email lists.
    const first = await sendReturnReminders(getDb(), '2026-12-31');
    const mine = async () => messagesFor([carol.id]);
    expect((await mine())[0]!.body_text.match(/^- /gm)).toHaveLength(ITEMS_PER_DIGEST);
    expect(first.deferred).toBeGreaterThanOrEqual(1);
    await sendReturnReminders(getDb(), '2026-12-31');
    expect(await mine()).toHaveLength(2);
    await sendReturnReminders(getDb(), '2026-12-31');
    expect(await mine()).toHaveLength(2);
  });
});
