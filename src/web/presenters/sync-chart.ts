// The "last 30 runs" chart as plain geometry for an inline SVG (no script, no inline styles: colours come
// from classes in public/app.css). Each run is one stacked bar — created, updated, archived, restored — with
// a <title> naming its numbers; the page also shows the same numbers as a table.
import type { RunSummary } from '../../sync/sync-api';
import { when } from './format';

export const SERIES = ['created', 'updated', 'archived', 'restored'] as const;
const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 48;
const BOTTOM = 36;
const TOP = 12;
const SLOTS = 30;

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

export function buildRunsChart(recentFirst: RunSummary[]) {
  const runs = [...recentFirst].slice(0, SLOTS).reverse();
  const totals = runs.map((r) => SERIES.reduce((sum, s) => sum + r.counts.total[s], 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT - 8) / SLOTS;
  const barW = Math.max(4, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const bars = runs.map((run, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    let base = 0;
    const segments = SERIES.filter((s) => run.counts.total[s] > 0).map((s) => {
      const value = run.counts.total[s];
      const top = y(base + value);
      const height = Math.max(1, y(base) - top);
      base += value;
      return { series: s, x: round(x), y: round(top), width: round(barW), height: round(height) };
    });
    const c = run.counts.total;
    const isEvents = run.kind === 'events';
    const label =
      `${when(run.createdAt)} (${isEvents ? 'events run' : 'full sync'}) — ${run.status}${run.isDryRun ? ' (preview)' : ''}: ` +
      `${c.created} created, ${c.updated} updated, ${c.archived} archived, ${c.restored} restored`;
    const marker = run.status === 'held' ? 'H' : run.status === 'failed' ? '!' : run.isDryRun ? 'P' : null;
    return {
      kind: isEvents ? 'events' : 'full',
      segments,
      label,
      marker,
      markerX: round(x + barW / 2),
      hitX: round(LEFT + i * slot),
      hitW: round(slot),
    };
  });
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: { left: LEFT, top: TOP, bottom: TOP + plotH, right: WIDTH - 8 },
    ticks: [0, max / 2, max].map((v) => ({ value: formatTick(v), y: round(y(v)) })),
    bars,
    markerY: TOP + plotH + 14,
    firstLabel: runs.length ? when(runs[0]!.createdAt)!.slice(0, 10) : null,
    lastLabel: runs.length ? when(runs[runs.length - 1]!.createdAt)!.slice(0, 10) : null,
    isEmpty: runs.length === 0,
    summary: `${runs.length} most recent run${runs.length === 1 ? '' : 's'}, oldest on the left; the tallest bar stands for ${formatTick(max)} records.`,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const formatTick = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export type RunsChart = ReturnType<typeof buildRunsChart>;
