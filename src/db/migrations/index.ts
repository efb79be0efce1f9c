import type { Migration } from 'kysely';
import * as core from './2026-11-23T00-00-core.js';

/** Every migration, in order. Frozen: add new files, never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-core': core,
};
