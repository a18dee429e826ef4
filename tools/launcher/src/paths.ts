import { join, resolve } from 'node:path';

/** The repository root: the launcher runs from `dist/tools/launcher/main.js`. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Default local state of `npm start` (embedded PostgreSQL data, NATS store), never committed. */
export const DEFAULT_STATE_DIR = join(REPO_ROOT, '.jarvis');

export function appEntry(app: string): string {
  return join(REPO_ROOT, 'dist', 'apps', app, 'main.js');
}
