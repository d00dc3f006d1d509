import { renderToStaticMarkup } from 'react-dom/server';
import { StaticRouter } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';
import { BreakdownSection } from './report-ui';

describe('a breakdown table', () => {
  it('shows a measure row’s quantities (delivered, substituted, remaining of the target) beside its £ figures', () => {
    const html = renderToStaticMarkup(
      <StaticRouter location="/officer/dashboard">
        <BreakdownSection id="by-measure" heading="By measure" what="measure" caption="By measure, 2026/27" rows={[{
          key: 'm1', label: 'SKL-01: Apprenticeship weeks', href: '/officer/dashboard/commitments?year=2026&dimension=measure&key=m1', commitments: 2,
          committedPence: 9_672_000, deliveredPence: 5_208_000, substitutedPence: 310_000, remainingPence: 4_154_000,
          unit: 'weeks', targetMilli: 312_000, deliveredMilli: 168_000, substitutedMilli: 1_000, remainingMilli: 143_000,
        }]} />
      </StaticRouter>,
    );
    expect(html).toContain('>Quantities</th>');
    expect(html).toContain('168 delivered, 1 substituted, 143 remaining of 312 weeks');
    expect(html).toContain('£3,100.00');
    expect(html).toContain('href="/officer/dashboard/commitments?year=2026&amp;dimension=measure&amp;key=m1"');
  });
});
