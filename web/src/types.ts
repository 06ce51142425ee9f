/** The HTTP API's response shapes, as the dashboard reads them (see src/server). */

export type Grade = string;

export interface TrendPoint {
  scanId: number | string;
  at: string;
  score: number;
  grade: Grade;
}

export interface RepoSummary {
  id: number | string;
  name: string;
  root: string;
  registeredAt: string;
  latest: {
    scanId: number | string;
    score: number;
    grade: Grade;
    at: string;
    files: number;
    findings: number;
  } | null;
  trend: TrendPoint[];
}

export interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

export interface LatestScan {
  scanId: number | string;
  score: number;
  grade: Grade;
  at: string;
  components: Record<string, number>;
  findingsByCategory: Record<string, number>;
  findingsBySeverity: Record<string, number>;
  topFindings: Finding[];
}

export interface Hotspot {
  path: string;
  commits: number;
  complexity: number;
  score: number;
}

export interface RepoDetail {
  repo: RepoSummary;
  latest: LatestScan | null;
  hotspots: Hotspot[];
  /** Why hotspots were not computed (a shallow clone); null when they were. */
  hotspotsUnavailable: string | null;
  trend: TrendPoint[];
}

export interface ImprovementChange {
  ruleId: string;
  file: string;
  line: number;
  model: string;
  status: string;
  gate: string | null;
  reason: string | null;
}

export interface ImprovementRun {
  id: number | string;
  startedAt: string;
  status: string;
  branch: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  accepted: number;
  rejected: number;
  validations: number;
  changes: ImprovementChange[];
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'cancelled';

export interface Job {
  id: number | string;
  kind: string;
  repoId: number | string;
  status: JobStatus;
  params: unknown;
  progress: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ModelStats {
  id: string;
  state: string;
  stats: {
    /** The contract's name; the server sends `proposed` (see model-stats.tsx). */
    proposals?: number;
    proposed?: number;
    accepted: number;
    acceptance: number | null;
    costUsd?: number | null;
    /** Calls whose reported token usage was missing or impossible, charged in full. */
    usageAnomalies?: number;
    meanLatencyMs?: number | null;
  };
}
