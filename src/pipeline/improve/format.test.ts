import { describe, expect, it } from 'vitest';
import { formatImproveReport } from './format.js';
import { afterBasisOf, outcomeLists } from './outcomes.js';
import type { ChangeOutcome, ChangeStatus, ImproveReport, ImproveStatus } from './types.js';

function change(id: number, status: ChangeStatus): ChangeOutcome {
  return {
    id,
    finding: {
      ruleId: 'prefer-const',
      file: `src/m${id}.js`,
      location: { line: id, column: 1 },
    } as ChangeOutcome['finding'],
    model: 'builtin:codemods',
    selection: 'first',
    title: `fix ${id}`,
    changes: [],
    status,
    ...(status === 'rejected' ? { gate: 'tests' as const, reason: 'a test failed' } : {}),
    ...(status === 'accepted' ? { commit: 'abcdef0123456789' } : {}),
    contentHash: 'h',
    checks: [],
    scores: [],
    durationMs: 1,
  };
}

/** A report as run-improve assembles it: `after` only moves when something was delivered. */
function report(status: ImproveStatus, statuses: ChangeStatus[]): ImproveReport {
  const changes = statuses.map((s, i) => change(i + 1, s));
  const afterBasis = afterBasisOf(status);
  const before = { score: 60, grade: 'C' as const, findings: 10 };
  return {
    repository: '/repo',
    kind: 'fix',
    status,
    branch: status === 'delivered' ? 'beast/improve-x' : undefined,
    base: 'base',
    head: undefined,
    dryRun: status === 'dry-run',
    dirty: false,
    before,
    after: afterBasis === 'nothing-delivered' ? before : { score: 70, grade: 'B', findings: 8 },
    afterBasis,
    files: [],
    findingsFixed: 0,
    changes,
    outcomes: outcomeLists(changes),
    checks: [{ name: 'tests', ran: status !== 'unvalidated', detail: 'node:test' }],
    formatter: 'none',
    ordering: 'hotspots',
    flakyTests: [],
    validations: { full: 1, quick: 2 },
    timings: {
      totalMs: 1,
      baselineMs: 0,
      testBaselineMs: 0,
      proposeMs: 0,
      validateMs: 0,
      deliverMs: 0,
    },
    cleanedUp: [],
    warnings: [],
    spend: { costUsd: 0, unknownCost: 0 },
  };
}

/** The change ids listed under a section's heading, or undefined when there is no such section. */
function section(text: string, title: string): number[] | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${title} (`));
  if (start < 0) return undefined;
  const ids: number[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}prefer-const +src\/m(\d+)\.js/.exec(line);
    if (!m) break;
    ids.push(Number(m[1]));
  }
  return ids;
}

describe('the improve report keeps accepted, withheld and rejected apart', () => {
  const cases: {
    name: string;
    status: ImproveStatus;
    statuses: ChangeStatus[];
    sections: Record<'Accepted' | 'Withheld' | 'Rejected', number[] | undefined>;
    quality: RegExp;
    branch: boolean;
  }[] = [
    {
      name: 'nothing delivered: the tests could not run',
      status: 'unvalidated',
      statuses: ['withheld', 'rejected', 'withheld'],
      sections: { Accepted: undefined, Withheld: [1, 3], Rejected: [2] },
      quality: /^Quality {4}60 C; findings 10 \(unchanged: nothing delivered\)$/m,
      branch: false,
    },
    {
      name: 'some accepted, some rejected, delivered',
      status: 'delivered',
      statuses: ['accepted', 'rejected', 'accepted'],
      sections: { Accepted: [1, 3], Withheld: undefined, Rejected: [2] },
      quality: /^Quality {4}60 C -> 70 B \(\+10\); findings 10 -> 8$/m,
      branch: true,
    },
    {
      name: 'dry run: the after is labelled as it would be',
      status: 'dry-run',
      statuses: ['accepted', 'rejected'],
      sections: { Accepted: [1], Withheld: undefined, Rejected: [2] },
      quality:
        /^Quality {4}60 C -> 70 B \(\+10\); findings 10 -> 8 \(as it would be; dry run, nothing kept\)$/m,
      branch: false,
    },
    {
      name: 'nothing passed the gate',
      status: 'nothing-to-do',
      statuses: ['rejected'],
      sections: { Accepted: undefined, Withheld: undefined, Rejected: [1] },
      quality: /^Quality {4}60 C; findings 10 \(unchanged: nothing delivered\)$/m,
      branch: false,
    },
  ];

  it.each(cases)('$name', ({ status, statuses, sections, quality, branch }) => {
    const r = report(status, statuses);
    const text = formatImproveReport(r);
    for (const [title, ids] of Object.entries(sections)) expect(section(text, title)).toEqual(ids);
    expect(text).toMatch(quality);
    const count = (s: ChangeStatus) => statuses.filter((x) => x === s).length;
    expect(text).toContain(
      `Changes    ${statuses.length} proposed · ${count('accepted')} accepted · ${count('withheld')} withheld · ${count('rejected')} rejected`,
    );
    expect(/beast\/|branch/.test(text)).toBe(branch);
    if (r.afterBasis === 'nothing-delivered') expect(text).not.toMatch(/->/);
    const listed = [...r.outcomes.accepted, ...r.outcomes.withheld, ...r.outcomes.rejected];
    expect(listed.sort()).toEqual(r.changes.map((c) => c.id));
    expect(r.outcomes.withheld).toEqual(sections.Withheld ?? []);
  });

  it('credits only delivered runs with an after', () => {
    expect(afterBasisOf('delivered')).toBe('delivered');
    expect(afterBasisOf('dry-run')).toBe('dry-run');
    for (const s of ['unvalidated', 'failed', 'nothing-to-do'] as const)
      expect(afterBasisOf(s)).toBe('nothing-delivered');
  });
});
