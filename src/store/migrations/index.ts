import type { Migration } from 'kysely';
import * as initial from './001-initial.js';
import * as improvements from './002-improvements.js';
import * as riskModels from './003-risk-models.js';
import * as serve from './004-serve.js';
import * as modelCalls from './005-model-calls.js';
import * as sharedResults from './006-shared-results.js';
import * as providerLimits from './007-provider-limits.js';
import * as fileKinds from './008-file-kinds.js';
import * as hotspotsUnavailable from './009-hotspots-unavailable.js';
import * as baselineState from './011-baseline-state.js';
import * as codeIndex from './012-code-index.js';
import * as embeddings from './013-embeddings.js';
import * as chat from './014-chat.js';
import * as knowledge from './015-knowledge.js';
import * as testGenRuns from './016-test-gen-runs.js';

/**
 * Every migration, keyed by a zero-padded number and a slug. Kysely applies them in key order and
 * refuses to open a database that ran a migration missing from this list, so keys are never renamed
 * and new migrations only ever go at the end.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-initial': initial,
  '002-improvements': improvements,
  '003-risk-models': riskModels,
  '004-serve': serve,
  '005-model-calls': modelCalls,
  '006-shared-results': sharedResults,
  '007-provider-limits': providerLimits,
  '008-file-kinds': fileKinds,
  '009-hotspots-unavailable': hotspotsUnavailable,
  '011-baseline-state': baselineState,
  '012-code-index': codeIndex,
  '013-embeddings': embeddings,
  '014-chat': chat,
  '015-knowledge': knowledge,
  '016-test-gen-runs': testGenRuns,
};
