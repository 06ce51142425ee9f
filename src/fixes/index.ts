export {
  applyEdits,
  changesOverlap,
  editsOverlap,
  normalizeEdits,
  type FileChange,
  type TextEdit,
} from './edits.js';
