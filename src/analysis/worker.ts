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

/** Rules activated per distinct settings: overrides give a scan a few, each asked for many times. */
const activated = new Map<string, ReturnType<typeof activateRules>>();
const MAX_ACTIVATED = 64;

/** Piscina entry point: analyses a batch of files on a worker thread. */
export default function analyzeBatch(task: WorkerTask): FileAnalysis[] {
  const key = JSON.stringify(task.settings);
  let rules = activated.get(key);
  if (!rules) {
    if (activated.size >= MAX_ACTIVATED) activated.clear();
    rules = activateRules(task.settings);
    activated.set(key, rules);
  }
  return task.files.map((f) => analyzeFile(f.path, f.source, f.hash, task.settings, rules));
}
