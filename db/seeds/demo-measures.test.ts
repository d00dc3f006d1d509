import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { measureCsvRowSchema } from '~/modules/measures/measures.schema';
import { penceToInput } from '~/modules/contracts/figures';
import { DEMO_MEASURES, seedDemoMeasures } from './demo-measures';

describe('the demo measures framework', () => {
  it('has about 30 measures across the five usual themes, each valid, marked as demo figures', async () => {
    const ids = await seedDemoMeasures(getDb());
    const rows = await getDb().selectFrom('measure').selectAll().where('is_demo', '=', 1).orderBy('code').execute();
    expect(rows).toHaveLength(DEMO_MEASURES.length);
    expect(rows.length).toBeGreaterThanOrEqual(28);
    expect(Object.keys(ids).sort()).toEqual(rows.map((r) => r.code));
    expect(new Set(rows.map((r) => r.theme))).toEqual(new Set(['Jobs', 'Skills', 'Growth', 'Healthier communities', 'Environment']));
    for (const theme of new Set(rows.map((r) => r.theme))) expect(rows.filter((r) => r.theme === theme).length).toBeGreaterThanOrEqual(5);
    for (const r of rows) {
      expect(r.active).toBe(1);
      expect(r.proxy_value_pence).toBeGreaterThan(0);
      // Every demo row passes the same rules as an imported one (so an export of the demo imports back).
      const parsed = measureCsvRowSchema.safeParse({
        code: r.code, theme: r.theme, outcome: r.outcome, title: r.title, unit: r.unit,
        proxy_value: penceToInput(r.proxy_value_pence), framework_year: String(r.framework_year),
      });
      expect(parsed.success, `${r.code}: ${parsed.error?.issues[0]?.message}`).toBe(true);
      // Our own codes: nothing shaped like the National TOMs' references (NT1, NT10 …).
      expect(r.code).not.toMatch(/^NT\d/i);
    }
  });
});
