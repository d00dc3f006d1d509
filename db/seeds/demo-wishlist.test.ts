import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { listThemes } from '~/modules/measures/themes.server';
import { parseEnv } from '~/utils/env.server';
import { seedDemo } from './demo';

describe('demo wishlist', () => {
  it('seeds items in every status a demo needs, with the framework’s themes, only drafts for the unverified organisation', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const items = await getDb()
      .selectFrom('wishlist_item as i')
      .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
      .select(['i.status', 'i.theme', 'o.status as orgStatus', 'i.needed_by'])
      .execute();
    expect(items.length).toBeGreaterThanOrEqual(24);
    const statuses = new Set(items.map((i) => i.status));
    for (const s of ['published', 'submitted', 'draft', 'rejected', 'expired']) expect(statuses.has(s as never), s).toBe(true);
    const themes = await listThemes(getDb());
    expect(items.filter((i) => !themes.includes(i.theme))).toEqual([]);
    expect(items.filter((i) => i.orgStatus !== 'verified' && i.status !== 'draft')).toEqual([]);
    expect(items.filter((i) => i.needed_by?.startsWith('2027')).length).toBeGreaterThan(5);
  });
});
