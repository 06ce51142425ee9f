import type { Finding } from '../../core/index.js';
import type { RepairRequest, TaskBrief } from '../types.js';
import { EDIT_FORMAT } from './edit-blocks.js';
import type { LlmRequest } from './types.js';

export interface FixPromptInput {
  finding: Finding;
  /** Current text of the finding's file. */
  source: string;
  /** The repository's conventions (style guide, formatter settings), if any. */
  conventions?: string;
  /** Lines of code shown on each side of the finding (default 20). */
  contextLines?: number;
  /** The repo map: the most central declarations around the finding's file, by file and line. */
  repoMap?: string;
  /** The previous, rejected attempt and the gate's errors. */
  repair?: RepairRequest;
  /** How the task kind words the request; the fix wording when absent. */
  brief?: TaskBrief;
}

/** The lines around the finding, as they are in the file, with the range they cover. */
export function excerptAround(
  source: string,
  line: number,
  contextLines: number,
): { text: string; first: number; last: number } {
  const lines = source.split('\n');
  const first = Math.max(1, line - contextLines);
  const last = Math.min(lines.length, line + contextLines);
  return { text: lines.slice(first - 1, last).join('\n'), first, last };
}

/** The wording of a fix, when the task brings none. */
export const FIX_BRIEF: TaskBrief = {
  role: `You fix one finding of a code-quality scanner in a TypeScript or JavaScript repository.
Change as little as possible, keep behaviour and the surrounding style, and never touch unrelated code.`,
  ask: 'Fix the finding. Reply with edit blocks only, in the format above.',
};

/** The request for a fix: the finding, the code around it and the repository's conventions. */
export function buildFixPrompt(input: FixPromptInput): LlmRequest {
  const { finding } = input;
  const { line, column } = finding.location;
  const excerpt = excerptAround(input.source, line, input.contextLines ?? 20);
  const flagged = input.source.split('\n')[line - 1] ?? '';
  const parts = [
    `Finding: ${finding.ruleId} (${finding.severity}, ${finding.category}) at ${finding.file}:${line}:${column}`,
    `Message: ${finding.message}`,
    `Flagged line: ${flagged.trim()}`,
    `Code of ${finding.file}, lines ${excerpt.first}-${excerpt.last}:\n\`\`\`\n${excerpt.text}\n\`\`\``,
  ];
  if (input.repoMap?.trim()) {
    parts.push(
      `Repository map (the most central declarations around this file, chosen by the reference graph; each path, then line: signature):\n\`\`\`\n${input.repoMap.trimEnd()}\n\`\`\``,
    );
  }
  if (input.repair) {
    parts.push(
      [
        `Your previous change (attempt ${input.repair.attempt}) was rejected by the validation gate:`,
        input.repair.errors.slice(0, 4000),
        `The rejected change:\n\`\`\`\n${input.repair.previous.slice(0, 4000)}\n\`\`\``,
        'The code above is unchanged; propose a different change that passes.',
      ].join('\n'),
    );
  }
  if (input.conventions?.trim()) {
    parts.push(`Conventions of this repository:\n${input.conventions.trim()}`);
  }
  const brief = input.brief ?? FIX_BRIEF;
  parts.push(brief.ask);
  return { system: `${brief.role}\n\n${EDIT_FORMAT}`, prompt: parts.join('\n\n') };
}
