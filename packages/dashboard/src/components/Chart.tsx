import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  /** [epoch seconds, value] pairs, oldest first. */
  readonly points: readonly (readonly [number, number | null])[];
}

/** Eight hues that stay apart in light and dark themes. */
const COLORS = ['#3b82f6', '#ef4444', '#10b981', '#f59e0b', '#8b5cf6', '#ec4899', '#14b8a6', '#84cc16'];

/**
 * One uPlot line chart, one series per replica. Replicas are sampled at slightly different moments, so their
 * times are merged onto one axis, each series null where it has no point; the line spans those nulls (without
 * it, every line broke at each other replica's sample, as the screenshots showed), and a missing point is
 * never drawn as a zero.
 */
export function Chart(props: {
  title: string;
  series: readonly ChartSeries[];
  /** A value as text; `digits` asks for more precision when ticks would read alike. */
  format: (v: number, digits?: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { title, series, format } = props;
  useEffect(() => {
    const el = box.current;
    if (!el || series.length === 0) return undefined;
    const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const columns = series.map((s) => {
      const col: (number | null)[] = new Array<number | null>(times.length).fill(null);
      for (const [t, v] of s.points) col[index.get(t)!] = v;
      return col;
    });
    const axisColor = getComputedStyle(el).color;
    const opts: uPlot.Options = {
      width: Math.max(260, el.clientWidth),
      height: 200,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [
        {
          stroke: axisColor,
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          // UTC like every time on the page; the date only when the window spans days.
          values: (_u, ticks) => utcTicks(ticks),
        },
        {
          stroke: axisColor,
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          size: 70,
          values: (_u, ticks) => distinctTicks(ticks, format),
        },
      ],
      series: [
        {
          label: 'time (UTC)',
          value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toISOString().slice(11, 19)),
        },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length]!,
          width: 1.5,
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
        })),
      ],
    };
    const plot = new uPlot(opts, [times, ...columns] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(260, el.clientWidth), height: 200 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, format]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {series.length === 0 ? (
        <p class="muted">No samples in this window yet.</p>
      ) : (
        <div ref={box} role="img" aria-label={title} />
      )}
    </figure>
  );
}

function utcTicks(ticks: readonly number[]): string[] {
  const span = (ticks.at(-1) ?? 0) - (ticks[0] ?? 0);
  return ticks.map((t) => {
    const iso = new Date(t * 1000).toISOString();
    if (span > 86_400) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    return span < 600 ? iso.slice(11, 19) : iso.slice(11, 16);
  });
}

/**
 * Tick labels that differ from each other: memory that moves by kilobytes would otherwise read `3.1 MiB` on
 * every tick. More digits are tried until the labels are distinct (at most three).
 */
function distinctTicks(ticks: readonly number[], format: (v: number, digits?: number) => string): string[] {
  let labels = ticks.map((v) => format(v));
  for (let digits = 2; digits <= 3 && new Set(labels).size < labels.length; digits++) {
    labels = ticks.map((v) => format(v, digits));
  }
  return labels;
}
