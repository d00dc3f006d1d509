import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart, CHART_MAX_ROWS, chartDescription } from './charts';

describe('bar charts', () => {
  it('is one named, described image with a bar pair and a value per row', () => {
    const html = renderToStaticMarkup(<BarChart id="theme" title="Social value by theme, 2026/27" what="theme" rows={[
      { label: 'Jobs', committedPence: 100_000, deliveredPence: 25_050 },
      { label: 'Environment & <climate>', committedPence: 50_000, deliveredPence: 0 },
    ]} />);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="theme-title theme-desc"');
    expect(html).toMatch(/<title id="theme-title">Social value by theme, 2026\/27<\/title>/);
    expect(html).toMatch(/<desc id="theme-desc">Bar chart of committed value .*Jobs: £1,000.00 committed, £250.50 delivered/);
    expect(html).toContain('Environment &amp; &lt;climate&gt;');
    expect(html.match(/app-chart__bar--committed/g)).toHaveLength(2);
    expect(html.match(/app-chart__bar--delivered/g)).toHaveLength(2);
    expect(html).toContain('£250.50 of £1,000.00');
    // Nothing delivered draws a zero-width bar, not a sliver.
    expect(html).toMatch(/width="0" height="12" class="app-chart__bar app-chart__bar--delivered"/);
    expect(html).not.toContain('<script');
  });

  it('says when it shows only the largest rows, and when there is nothing', () => {
    const rows = Array.from({ length: CHART_MAX_ROWS + 3 }, (_, i) => ({ label: `Row ${i}`, committedPence: 1000 - i, deliveredPence: i }));
    expect(chartDescription('ward', rows)).toContain(`shows the ${CHART_MAX_ROWS} largest of ${CHART_MAX_ROWS + 3}`);
    const html = renderToStaticMarkup(<BarChart id="w" title="By ward" what="ward" rows={rows} />);
    expect(html.match(/app-chart__bar--committed/g)).toHaveLength(CHART_MAX_ROWS);
    expect(chartDescription('ward', [])).toBe('No ward to show for this period.');
  });
});
