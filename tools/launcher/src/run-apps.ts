import { spawn } from 'node:child_process';
import concurrently, { ConcurrentlyResult } from 'concurrently';
import { APP_NAMES } from '@jarvis/contracts';
import { appEntry, REPO_ROOT } from './paths';

/** Runs each app's migrations in turn (`main.js migrate`), stopping at the first failure. */
export async function migrateApps(env: NodeJS.ProcessEnv): Promise<void> {
  for (const app of APP_NAMES) {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [appEntry(app), 'migrate'], { env, stdio: 'inherit' });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`migrations of ${app} failed`);
  }
}

/** Starts the four apps as separate processes, every output line prefixed with its app. */
export function startApps(env: NodeJS.ProcessEnv): ConcurrentlyResult {
  return concurrently(
    // Paths relative to the repository, so that a folder name with spaces needs no quoting.
    APP_NAMES.map((app) => ({
      name: app,
      command: `node dist/apps/${app}/main.js`,
      cwd: REPO_ROOT,
      env,
    })),
    {
      prefix: '[{name}]',
      prefixColors: ['cyan', 'magenta', 'green', 'yellow'],
      killOthersOn: ['failure'],
      killSignal: 'SIGTERM',
      handleInput: false,
    },
  );
}
