import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'nats';
import { APP_NAMES, AppName } from '@jarvis/contracts';
import { readLogLines, waitUntilReady } from './app-readiness';
import { freePort, TEST_NATS_URL, uniqueSubjectPrefix } from './test-namespace';

/** The nearest folder holding package.json: from the sources under jest, or from a bundle in dist/. */
const REPO_ROOT = repositoryRoot(__dirname);

function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
    dir = dirname(dir);
  }
  return dir;
}

export interface RunningSuite {
  gatewayUrl: string;
  adminApiKey: string;
  ports: Record<AppName, number>;
  env: NodeJS.ProcessEnv;
  /** The JSON log lines an app has written so far (from its LOG_FILE). */
  logLines(app: AppName): Record<string, unknown>[];
  /** Sends SIGTERM to one app and waits for it to exit; resolves to its exit code or signal. */
  stopApp(app: AppName): Promise<number | string | null>;
  /** Starts a stopped app again, with the same environment, and waits until it is ready. */
  startApp(app: AppName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the built apps as real processes against `databaseUrl`, with their own subject
 * prefix, free ports and log files, and waits until each answers `/health/ready`.
 */
export async function startSuite(
  databaseUrl: string,
  apps: readonly AppName[] = APP_NAMES,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningSuite> {
  const logDir = mkdtempSync(join(tmpdir(), 'jarvis-logs-'));
  const ports = {} as Record<AppName, number>;
  for (const app of APP_NAMES) ports[app] = await freePort();
  const adminApiKey = `test-admin-${uniqueSubjectPrefix()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    NATS_URL: TEST_NATS_URL,
    NATS_SUBJECT_PREFIX: uniqueSubjectPrefix(),
    JARVIS_ADMIN_API_KEY: adminApiKey,
    GATEWAY_PORT: String(ports.gateway),
    ORCHESTRATOR_PORT: String(ports.orchestrator),
    HEALTH_PORT: String(ports.health),
    HISTORY_PORT: String(ports.history),
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extraEnv,
  };
  const children = new Map<AppName, ChildProcess>();
  const logFile = (app: AppName) => join(logDir, `${app}.log`);

  const spawnApp = (app: AppName) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', app, 'main.js')], {
      env: { ...env, LOG_FILE: logFile(app) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) =>
      process.stderr.write(`[${app}] ${chunk.toString()}`),
    );
    children.set(app, child);
    return child;
  };
  for (const app of apps) spawnApp(app);

  const stopApp = (app: AppName) => {
    const child = children.get(app);
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve(child?.exitCode ?? child?.signalCode ?? null);
    }
    return new Promise<number | string | null>((done) => {
      child.once('exit', (code, signal) => done(code ?? signal));
      child.kill('SIGTERM');
    });
  };
  const suite: RunningSuite = {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    adminApiKey,
    ports,
    env,
    logLines: (app) => readLogLines(logFile(app)),
    stopApp,
    startApp: async (app) => {
      await stopApp(app);
      await waitUntilReady(app, ports[app], spawnApp(app));
    },
    stop: async () => {
      await Promise.all([...children.keys()].map(stopApp));
      await deleteStreams(env.NATS_URL ?? TEST_NATS_URL, env.NATS_SUBJECT_PREFIX);
    },
  };

  try {
    await Promise.all(apps.map((app) => waitUntilReady(app, ports[app], children.get(app)!)));
  } catch (error) {
    await suite.stop();
    throw error;
  }
  return suite;
}

/** The suite's JetStream streams (`<prefix>_…`) are stored on disk and would outlive the run. */
async function deleteStreams(servers: string, prefix: string | undefined): Promise<void> {
  if (!prefix) return;
  const nc = await connect({ servers }).catch(() => undefined);
  if (!nc) return;
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${prefix}_`)) names.push(name);
    }
    for (const name of names) await jsm.streams.delete(name);
  } catch {
    // Best effort: a run that cannot clean up still passed or failed on its own merits.
  } finally {
    await nc.close();
  }
}
