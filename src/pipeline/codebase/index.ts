export { updateIndex, type UpdateIndexOptions } from './index-repo.js';
export { repoMap, searchCodebase } from './search.js';
export type * from './types.js';
export {
  createVectorRanker,
  embeddingText,
  repositoryVectors,
  type EmbeddingCoverage,
  type EmbeddingRanker,
  type VectorItem,
  type VectorRankerOptions,
} from './embeddings.js';
export { chatAboutCodebase, type ChatEvent, type ChatResult } from './ask.js';
export {
  exportKnowledge,
  knowledgeLlm,
  knowledgeMarkdown,
  updateKnowledge,
  type ExportedFact,
  type FreeTextLlm,
  type KnowledgeExport,
  type KnowledgeOptions,
  type KnowledgeStats,
} from './knowledge.js';
