import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { makeItem } from '../../tests/support/factories-pledges';
import { pledgeProgress } from '~/modules/pledges/pledge-progress.server';
import { statusFromPledges } from '~/modules/pledges/item-status.server';
import { pledgeHistory } from '~/modules/pledges/pledge-queries.server';
import { seedDemoPledges } from './demo-pledges';

// The pledge seeder on its own (the demo's users, three published needs each
// for the pantry and the youth project), so it is tested whatever the wishlist seed holds.
describe('demo pledges', () => {
  it('adds pledges in every state, two confirmed by Brightwater and one offered to the pantry, with items in step', async () => {
    const brightwater = await makeOrganisation('supplier');
    const greenway = await makeOrganisation('supplier');
    const pantry = await makeOrganisation('vcse');
    const youth = await makeOrganisation('vcse');
    await makeUser('contractor', { organisationId: brightwater.id, email: 'contractor@demo.test' });
    await makeUser('contractor', { organisationId: greenway.id, email: 'greenway@demo.test' });
    await makeUser('vcse', { organisationId: pantry.id, email: 'vcse@demo.test' });
    await makeUser('vcse', { organisationId: youth.id, email: 'youth@demo.test' });
    for (const org of [pantry, youth]) for (let i = 0; i < 3; i += 1) await makeItem({ organisationId: org.id, estimatePence: 80_000 + i * 10_000 });

    await getDb().transaction().execute((tx) => seedDemoPledges(tx));

    const pledges = await getDb().selectFrom('pledge as p').innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
      .select(['p.id', 'p.status', 'p.supplier_id', 'p.value_pence', 'i.organisation_id', 'i.id as itemId', 'i.status as itemStatus', 'i.estimated_value_pence as estimate']).execute();
    expect(new Set(pledges.map((p) => p.status))).toEqual(new Set(['offered', 'accepted', 'declined', 'delivered', 'confirmed', 'disputed']));
    expect(pledges.filter((p) => p.status === 'confirmed' && p.supplier_id === brightwater.id)).toHaveLength(2);
    expect(pledges.filter((p) => p.status === 'offered' && p.supplier_id === brightwater.id && p.organisation_id === pantry.id)).toHaveLength(1);
    for (const p of pledges) expect(p.value_pence).toBeLessThanOrEqual(p.estimate);

    const progress = await pledgeProgress(getDb(), pledges.map((p) => p.itemId));
    for (const p of pledges) expect(p.itemStatus, `item of a ${p.status} pledge`).toBe(statusFromPledges(p.estimate, progress.get(p.itemId)!));
    expect(pledges.some((p) => p.itemStatus === 'fulfilled')).toBe(true);
    expect(pledges.some((p) => p.itemStatus === 'pledged')).toBe(true);

    const confirmed = pledges.find((p) => p.status === 'confirmed' && p.organisation_id === pantry.id)!;
    const history = await pledgeHistory(getDb(), confirmed.id);
    expect(history.map((h) => h.step)).toEqual(['offer', 'accept', 'deliver', 'confirm']);
    expect(history[0]!.by).toBe('Test contractor');
    expect([history[1]!.at < history[2]!.at, history[2]!.at < history[3]!.at]).toEqual([true, true]);
  });

  it('adds nothing when no need is published (the demo users are still there from the test above)', async () => {
    const before = await getDb().selectFrom('pledge').select('id').execute();
    await getDb().updateTable('wishlist_item').set({ status: 'closed' }).execute();
    await getDb().transaction().execute((tx) => seedDemoPledges(tx));
    expect(await getDb().selectFrom('pledge').select('id').execute()).toHaveLength(before.length);
  });
});
