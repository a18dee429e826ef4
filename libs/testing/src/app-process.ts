import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppName } from '@jarvis/contracts';
import { readLogLines, waitUntilReady } from './app-readiness';
import { freePort } from './test-namespace';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** One built app running as a process of its own, for tests that kill and restart it. */
export interface AppProcess {
  app: AppName;
  port: number;
  /** Its process id, while it runs. */
  pid(): number | undefined;
  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same environment and port, and waits until it is ready. */
  restart(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** The JSON log lines it has written so far (every run appends to the same file). */
  logLines(): Record<string, unknown>[];
}

/**
 * Starts the built `app` (dist/apps/<app>/main.js) with `env` on a free port of its own
 * (its `<APP>_PORT`) and a log file, and waits until it answers `/health/ready`.
 */
export async function startAppProcess(app: AppName, env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const port = await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), `jarvis-${app}-`)), `${app}.log`);
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...env,
    [`${app.toUpperCase()}_PORT`]: String(port),
    LOG_FILE: logFile,
  };
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', app, 'main.js')], {
      env: childEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) =>
      process.stderr.write(`[${app}] ${chunk.toString()}`),
    );
    await waitUntilReady(app, port, child);
  };
  const signal = async (name: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((done) => {
      running.once('exit', () => done());
      running.kill(name);
    });
  };

  await launch();
  return {
    app,
    port,
    pid: () =>
      child && child.exitCode === null && child.signalCode === null ? child.pid : undefined,
    kill: (name = 'SIGKILL') => signal(name),
    restart: async () => {
      await signal('SIGKILL');
      await launch();
    },
    stop: () => signal('SIGTERM'),
    logLines: () => readLogLines(logFile),
  };
}
