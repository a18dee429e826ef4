import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'nats';
import { STATE_DIR } from './paths';

export interface ProvisionedNats {
  url: string;
  stop?: () => Promise<void>;
}

const HOW_TO_GET_NATS =
  'Install nats-server (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server; ' +
  'or a release from nats.io) so that it is on the PATH, or set NATS_URL to a running server with JetStream.';

export async function natsAnswers(servers: string[]): Promise<boolean> {
  try {
    const connection = await connect({
      servers,
      timeout: 1500,
      maxReconnectAttempts: 0,
      reconnect: false,
    });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Uses the NATS at `servers`; when none answers and the URL is the default, starts
 * `nats-server -js` from the PATH with its store under `.jarvis/nats`.
 */
export async function provisionNats(
  servers: string[],
  isDefault: boolean,
  say: (line: string) => void,
): Promise<ProvisionedNats> {
  const url = servers.join(',');
  if (await natsAnswers(servers)) return { url };
  if (!isDefault) throw new Error(`No NATS server answers at NATS_URL. ${HOW_TO_GET_NATS}`);
  const { hostname, port } = new URL(servers[0]);
  const storeDir = join(STATE_DIR, 'nats');
  mkdirSync(storeDir, { recursive: true });
  say(
    `No NATS answers on port ${port}: starting nats-server with JetStream (store in .jarvis/nats)`,
  );
  const child = spawn(
    'nats-server',
    ['-js', '-a', hostname, '-p', port || '4222', '-sd', storeDir],
    {
      stdio: 'ignore',
    },
  );
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!started)
    throw new Error(
      `No NATS server answers at ${url} and nats-server is not on the PATH. ${HOW_TO_GET_NATS}`,
    );
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await natsAnswers(servers)) return { url, stop: () => stopChild(child) };
    await delay(100);
  }
  await stopChild(child);
  throw new Error(`nats-server was started but does not answer at ${url}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
