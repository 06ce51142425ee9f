export { updateIndex, type UpdateIndexOptions } from './index-repo.js';
export { repoMap, searchCodebase } from './search.js';
export type * from './types.js';
export { chatAboutCodebase, type ChatEvent, type ChatResult } from './ask.js';
