import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'nats';
import { freePort } from './test-namespace';

/** A nats-server with JetStream that one test started for itself: its own port and store. */
export interface PrivateNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same store, and waits until it answers. */
  restart(): Promise<void>;
  /** Stops it and removes its store. */
  stop(): Promise<void>;
}

/**
 * Starts `nats-server -js` from the PATH on a free port with a store directory of its
 * own, for tests that kill or restart the broker (never the shared one).
 */
export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'jarvis-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
      stdio: 'ignore',
    });
    const spawned = await new Promise<boolean>((resolve) => {
      child?.once('error', () => resolve(false));
      child?.once('spawn', () => resolve(true));
    });
    if (!spawned) throw new Error('nats-server is not on the PATH');
    await waitUntilAnswering(url, child);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  await launch();
  return {
    url,
    port,
    storeDir,
    kill,
    restart: async () => {
      await kill('SIGKILL');
      await launch();
    },
    stop: async () => {
      await kill('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}`);
    try {
      const connection = await connect({ servers: url, timeout: 500, reconnect: false });
      await connection.jetstreamManager();
      await connection.close();
      return;
    } catch {
      await delay(50);
    }
  }
  throw new Error(`nats-server did not answer at ${url} within ${timeoutMs} ms`);
}
