import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'nats';
import { stopChild } from './stop-child';
import { isLocalHost } from './local-host';

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
 * Uses the NATS at `servers`; when none answers and the first names this machine, starts
 * `nats-server -js` from the PATH on its port with the store under `<stateDir>/nats-<port>`.
 */
export async function provisionNats(
  servers: string[],
  stateDir: string,
  say: (line: string) => void,
): Promise<ProvisionedNats> {
  const url = servers.join(',');
  if (await natsAnswers(servers)) return { url };
  const { hostname, port } = new URL(servers[0]);
  if (!isLocalHost(hostname))
    throw new Error(`No NATS server answers at NATS_URL (host ${hostname}). ${HOW_TO_GET_NATS}`);
  const storeDir = join(stateDir, `nats-${port || '4222'}`);
  mkdirSync(storeDir, { recursive: true });
  say(
    `No NATS answers on port ${port}: starting nats-server with JetStream (store in ${storeDir})`,
  );
  const child = spawn(
    'nats-server',
    ['-js', '-a', hostname, '-p', port || '4222', '-sd', storeDir],
    {
      stdio: 'ignore',
      // Its own process group: Ctrl-C reaches the apps, and NATS stops after them.
      detached: true,
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
