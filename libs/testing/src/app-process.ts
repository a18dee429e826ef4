import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppName } from '@jarvis/contracts';
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

async function waitUntilReady(app: AppName, port: number, child: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${app} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(`${app} was not ready within ${timeoutMs} ms`);
}

function readLogLines(file: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
