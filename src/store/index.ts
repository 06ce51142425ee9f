/**
 * The store: scan history and the analysis cache in one SQLite file (WAL, safe for concurrent
 * processes). Functions take the `Store` from `openStore`; all queries go through Kysely.
 */
export { defaultStorePath, openStore } from './db.js';
export type { Store } from './db.js';
export {
  getScan,
  latestScan,
  listRepositories,
  listScans,
  recordScan,
  scoreTrend,
} from './scans.js';
export type { ScanDigest, StoredScan } from './scans.js';
export { getCachedResults, putCachedResults } from './cache.js';
export {
  acceptanceStats,
  listImproveRuns,
  listProposalOutcomes,
  listProposals,
  proposalKey,
  recordImproveRun,
  rejectedProposalKeys,
} from './improvements.js';
export type {
  AcceptanceStat,
  ImproveRunSummary,
  ProposalOutcome,
  ProposalRecord,
} from './improvements.js';
export { getImproveRun, listFileProposals } from './improve-detail.js';
export type { ImproveRunDetail } from './improve-detail.js';
export { latestRiskModel, saveRiskModel } from './risk-models.js';
export {
  deploymentStats,
  recordModelCalls,
  reserveSpend,
  settleSpend,
  spendOnDay,
  utcDay,
} from './model-calls.js';
export type { DaySpend, DeploymentStats } from './model-calls.js';
export {
  countScans,
  findRegisteredRepository,
  latestScanDigests,
  listRegisteredRepositories,
  qualityInputsVersion,
  registerRepository,
} from './repositories.js';
export type { RegisteredRepository } from './repositories.js';
export {
  claimNextJob,
  countJobs,
  createJob,
  finishJob,
  FINAL_STATUSES,
  getJob,
  interruptJobs,
  JOB_KINDS,
  JOB_STATUSES,
  listJobs,
  setJobProgress,
} from './jobs.js';
export type { JobKind, JobRecord } from './jobs.js';
export {
  applyIndexChange,
  codeIndexState,
  getSymbols,
  indexedFileHashes,
  readSymbolGraph,
  repositoryIdOf,
  searchSymbolText,
  touchCodeIndex,
} from './code-index.js';
export type { IndexedFileRecord, StoredSymbol, SymbolRecord } from './code-index.js';
export { embeddedHashes, getEmbedding, nearestEmbeddings, putEmbeddings } from './embeddings.js';
export { createChatSession, getChatSession, listChatMessages, recordChatExchange } from './chat.js';
export { loadKnowledge, saveKnowledge, searchKnowledge } from './knowledge.js';
export type {
  KnowledgeChange,
  KnowledgeFact,
  KnowledgeFile,
  NewKnowledgeFact,
} from './knowledge.js';
export { getTestGenRun, latestTestGenRun, listTestGenRuns, recordTestGenRun } from './test-gen.js';
export type { TestGenRunDetail, TestGenRunSummary } from './test-gen.js';
