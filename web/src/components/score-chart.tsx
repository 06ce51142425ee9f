import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatScore, formatTime } from '../format';
import type { TrendPoint } from '../types';
import { TableHead } from './table-head';

const HEIGHT = 240;
const STROKE = '#2554c7';

/** The scans oldest first, numbered from 1: the chart's x is the scan, not the clock. */
export function chartPoints(trend: readonly TrendPoint[]): TrendPoint[] {
  return [...trend].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * The x range: half a scan either side, so a single scan sits in the middle. Scans are evenly
 * spaced because they come when people run them, minutes or weeks apart; the table and the tick
 * labels give the dates.
 */
export function scanRange(count: number): [number, number] {
  return [0.5, Math.max(1, count) + 0.5];
}

function tickLabel(point: TrendPoint | undefined): string {
  if (!point) return '';
  const date = new Date(point.at);
  return Number.isNaN(date.getTime())
    ? point.at
    : date.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

/** The quality score over scans, drawn by uPlot on a canvas; a table carries the same data. */
export function ScoreChart({ trend }: { trend: readonly TrendPoint[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const width = (): number => Math.max(280, el.clientWidth);
    const points = chartPoints(trend);
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: () => scanRange(points.length) },
          y: { range: [0, 100] },
        },
        series: [
          {},
          {
            label: 'Score',
            stroke: STROKE,
            width: 2,
            points: { show: true, size: 9, fill: STROKE, stroke: STROKE },
          },
        ],
        axes: [
          {
            label: 'Scan',
            // One tick per scan at most, labelled with when it ran.
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
            space: 110,
            values: (_u, splits) =>
              splits.map((x) => (Number.isInteger(x) ? `#${x} ${tickLabel(points[x - 1])}` : '')),
          },
          { label: 'Score', size: 50 },
        ],
      },
      [points.map((_p, i) => i + 1), points.map((p) => p.score)],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [trend]);

  return (
    <figure class="score-chart">
      <figcaption>Quality score over scans</figcaption>
      <div
        ref={box}
        class="chart"
        role="img"
        aria-label={`Quality score over ${trend.length} scans`}
        data-points={trend.length}
      />
      <details>
        <summary>Scores as a table</summary>
        <table>
          <TableHead columns={['Scanned', 'Grade', ['Score', 'num']]} />
          <tbody>
            {trend.map((p) => (
              <tr key={p.scanId}>
                <td>{formatTime(p.at)}</td>
                <td>{p.grade}</td>
                <td class="num">{formatScore(p.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
