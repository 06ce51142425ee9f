import type { TrendPoint } from '../types';

const WIDTH = 96;
const HEIGHT = 24;
const PAD = 3;

/** The points of a sparkline: x spread evenly, y scaled to the scores' own range. */
export function sparklinePoints(scores: readonly number[]): [number, number][] {
  if (scores.length === 0) return [];
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  const span = max - min || 1;
  const step = scores.length > 1 ? (WIDTH - 2 * PAD) / (scores.length - 1) : 0;
  return scores.map((score, i) => [
    scores.length > 1 ? PAD + i * step : WIDTH / 2,
    max === min ? HEIGHT / 2 : PAD + (1 - (score - min) / span) * (HEIGHT - 2 * PAD),
  ]);
}

/** A tiny inline SVG of the score over the last scans; the text alternative lists the scores. */
export function Sparkline({ trend }: { trend: readonly TrendPoint[] }) {
  if (trend.length === 0) return <span class="muted">no scans</span>;
  const scores = trend.map((p) => p.score);
  const points = sparklinePoints(scores);
  const last = points[points.length - 1];
  const up = scores.length > 1 && (scores[scores.length - 1] ?? 0) >= (scores[0] ?? 0);
  return (
    <svg
      class={`sparkline ${up ? 'up' : ''}`}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Score trend: ${scores.join(', ')}`}
    >
      {points.length > 1 && <polyline points={points.map((p) => p.join(',')).join(' ')} />}
      {last && <circle cx={last[0]} cy={last[1]} r="2.5" />}
    </svg>
  );
}
