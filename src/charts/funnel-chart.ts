import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { METRIC_LABELS, type ProgressMetric } from '../domain/centre/progress-facts.js';

// Charts are drawn on the server: ECharts writes the SVG (its server-side renderer, no DOM), resvg turns it into the
// PNG Slack shows inline. Both run in this process in a few tens of milliseconds (`npm run bench:home` times it).

/** The funnel's steps, in order: each narrower than the one before, for most people. */
export const FUNNEL_METRICS: readonly ProgressMetric[] = [
  'asks',
  'replies',
  'conversations',
  'thank_yous',
  'referrals',
];

/** One week's funnel; null where a figure is not shown (too few people behind it). */
export interface FunnelWeek {
  weekStart: string;
  values: Record<ProgressMetric, number | null>;
}

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

const WIDTH = 900;
const HEIGHT = 420;
const COLOURS = ['#1264a3', '#2eb67d', '#ecb22e', '#e01e5a', '#6b3fa0'];

function weekLabel(weekStart: string): string {
  const date = new Date(`${weekStart}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** A grouped bar chart of the funnel per week, as SVG and PNG. `title` is plain text (it is drawn, not parsed). */
export function renderFunnelChart(title: string, weeks: readonly FunnelWeek[]): RenderedChart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      color: COLOURS,
      textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, sans-serif' },
      title: { text: title, left: 16, top: 8, textStyle: { fontSize: 16 } },
      legend: { top: 40, left: 16 },
      grid: { left: 48, right: 24, top: 84, bottom: 40 },
      xAxis: { type: 'category', data: weeks.map((week) => `w/c ${weekLabel(week.weekStart)}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: FUNNEL_METRICS.map((metric) => ({
        name: METRIC_LABELS[metric],
        type: 'bar',
        // '-' is ECharts' "no value": a figure not shown is a gap, never a zero.
        data: weeks.map((week) => week.values[metric] ?? '-'),
      })),
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      fitTo: { mode: 'width', value: WIDTH },
    })
      .render()
      .asPng();
    return { svg, png };
  } finally {
    chart.dispose();
  }
}

/** The same figures as text, for screen readers and for the message beside the image. */
export function funnelChartText(weeks: readonly FunnelWeek[]): string[] {
  return weeks.map((week) => {
    const parts = FUNNEL_METRICS.map((metric) => {
      const value = week.values[metric];
      return `${METRIC_LABELS[metric].toLowerCase()} ${value === null ? 'not shown' : value}`;
    });
    return `Week of ${weekLabel(week.weekStart)}: ${parts.join(', ')}`;
  });
}
