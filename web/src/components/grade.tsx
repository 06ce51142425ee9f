import { formatScore } from '../format';

/** A grade letter with its score; the colour follows the grade, the text carries the meaning. */
export function GradeBadge({ grade, score }: { grade: string; score?: number | null }) {
  return (
    <span class={`grade grade-${grade.toLowerCase()}`} data-testid="grade">
      <abbr title={`Grade ${grade}`}>{grade}</abbr>
      {score !== undefined && <span class="score">{formatScore(score)}</span>}
    </span>
  );
}
