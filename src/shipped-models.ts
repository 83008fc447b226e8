export { SHIPPED_MODEL_FILES } from './shipped-model-files.js';

/** The model a guard or an element loads when none is named: `{ name: DEFAULT_MODEL }`. */
export const DEFAULT_MODEL = 'guard-use-lite';
