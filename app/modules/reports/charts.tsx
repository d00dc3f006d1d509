import { formatPence } from '~/modules/contracts/figures';

// Server-rendered bar charts: plain SVG, no JavaScript. Each chart is one image
// (role="img") named by its <title> and described by its <desc>; the page puts
// the same figures in a table beside it, which is what screen readers and
// printouts rely on. Committed value is an outlined bar and delivered value a
// solid bar inside it, so the chart reads without colour (print, high contrast,
// forced colours: styles in app/styles/_reports.scss).

export interface ChartRow {
  label: string;
  committedPence: number;
  deliveredPence: number;
}

/** Bars drawn; a longer breakdown shows its largest rows and says so in the description. */
export const CHART_MAX_ROWS = 12;

const WIDTH = 720;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 150;
const ROW_HEIGHT = 34;
const BAR_HEIGHT = 22;
const TOP = 8;

const truncate = (text: string, max = 32) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function chartDescription(what: string, rows: readonly ChartRow[], count = rows.length): string {
  if (rows.length === 0) return `No ${what} to show for this period.`;
  const shown = rows.slice(0, CHART_MAX_ROWS);
  const parts = shown.slice(0, 3).map((r) => `${r.label}: ${formatPence(r.committedPence)} committed, ${formatPence(r.deliveredPence)} delivered`);
  const more = count > shown.length ? ` The chart shows the ${shown.length} largest of ${count}.` : '';
  return `Bar chart of committed value (outlined bars) and delivered value (solid bars) by ${what}, largest committed first. ${parts.join('; ')}.${more} The table gives every figure.`;
}

export function BarChart({ id, title, what, rows, count = rows.length }: { id: string; title: string; what: string; rows: readonly ChartRow[]; count?: number }) {
  const shown = rows.slice(0, CHART_MAX_ROWS);
  const max = Math.max(1, ...shown.map((r) => Math.max(r.committedPence, r.deliveredPence)));
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const scale = (pence: number) => (pence <= 0 ? 0 : Math.max(1, Math.round((pence / max) * barSpace)));
  const height = TOP * 2 + Math.max(1, shown.length) * ROW_HEIGHT + 24;
  return (
    <figure className="app-chart" aria-labelledby={`${id}-caption`}>
      <figcaption className="govuk-body-s govuk-!-margin-bottom-1" id={`${id}-caption`}>
        <span className="app-chart__key app-chart__key--committed" aria-hidden="true" /> Committed
        <span className="app-chart__key app-chart__key--delivered govuk-!-margin-left-3" aria-hidden="true" /> Delivered
      </figcaption>
      <svg className="app-chart__svg" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{chartDescription(what, rows, count)}</desc>
        {shown.length === 0 ? <text x={0} y={TOP + 18} className="app-chart__label">Nothing to show</text> : null}
        {shown.map((row, i) => {
          const y = TOP + i * ROW_HEIGHT;
          const committed = scale(row.committedPence);
          const delivered = scale(row.deliveredPence);
          return (
            <g key={`${row.label}-${i}`}>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT / 2 + 5} textAnchor="end" className="app-chart__label">{truncate(row.label)}</text>
              <rect x={LABEL_WIDTH} y={y} width={committed} height={BAR_HEIGHT} className="app-chart__bar app-chart__bar--committed" />
              <rect x={LABEL_WIDTH} y={y + 5} width={delivered} height={BAR_HEIGHT - 10} className="app-chart__bar app-chart__bar--delivered" />
              <text x={LABEL_WIDTH + Math.max(committed, delivered) + 6} y={y + BAR_HEIGHT / 2 + 5} className="app-chart__value">
                {formatPence(row.deliveredPence)} of {formatPence(row.committedPence)}
              </text>
            </g>
          );
        })}
        <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={TOP - 4} y2={height - 20} className="app-chart__axis" />
      </svg>
    </figure>
  );
}
