import {
  activateRules,
  analyzeFile,
  type FileAnalysis,
  type RuleSettings,
} from './analyze-file.js';

export interface WorkerTask {
  files: { path: string; source: string; hash: string }[];
  settings: RuleSettings;
}

let cachedKey = '';
let cachedRules: ReturnType<typeof activateRules> = [];

/** Piscina entry point: analyses a batch of files on a worker thread. */
export default function analyzeBatch(task: WorkerTask): FileAnalysis[] {
  const key = JSON.stringify(task.settings);
  if (key !== cachedKey) {
    cachedRules = activateRules(task.settings);
    cachedKey = key;
  }
  return task.files.map((f) => analyzeFile(f.path, f.source, f.hash, task.settings, cachedRules));
}
