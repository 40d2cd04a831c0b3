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
 * times are merged onto one axis, each series null where it has no point (uPlot draws a gap, not a zero).
 */
export function Chart(props: {
  title: string;
  series: readonly ChartSeries[];
  format: (v: number) => string;
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
        { stroke: axisColor, grid: { stroke: 'rgba(128,128,128,0.15)' } },
        {
          stroke: axisColor,
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          size: 70,
          values: (_u, ticks) => ticks.map((v) => format(v)),
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
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
        })),
      ],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
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
