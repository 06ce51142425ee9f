export {
  computeMetrics,
  type LocalFileMetrics,
  type MetricsInput,
  type MetricsResult,
} from './compute.js';
export { cognitiveComplexity } from './cognitive.js';
export { cyclomaticComplexity } from './cyclomatic.js';
export { halsteadMetrics } from './halstead.js';
export { maintainabilityIndex } from './maintainability.js';
