import { resolve } from 'node:path';

/**
 * Where things are once bench/tsconfig.json has compiled the bench into bench/dist: this file
 * runs as bench/dist/bench/lib/paths.js.
 */
export const COMPILED_BENCH = resolve(__dirname, '..');
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const APP_SCRIPT = resolve(COMPILED_BENCH, 'apps', 'serve.js');
export const LOAD_SCRIPT = resolve(COMPILED_BENCH, 'lib', 'load-worker.js');
export const MICRO_SCRIPT = resolve(COMPILED_BENCH, 'micro', 'guard-micro.js');
export const PROFILE_DIR = resolve(COMPILED_BENCH, '..', 'profiles');
