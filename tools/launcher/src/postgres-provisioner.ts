import { fork } from 'node:child_process';
import { join } from 'node:path';
import { postgresAnswers } from '@jarvis/database';
import { isLocalHost } from './local-host';
import { REPO_ROOT } from './paths';
import { stopChild } from './stop-child';

export interface ProvisionedPostgres {
  url: string;
  stop?: () => Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

/**
 * Uses the PostgreSQL at `url`; when none answers there and the URL names this machine,
 * starts an embedded PostgreSQL on its port with the data under `<stateDir>/postgres`.
 */
export async function provisionPostgres(
  url: string,
  stateDir: string,
  say: (line: string) => void,
): Promise<ProvisionedPostgres> {
  if (await postgresAnswers(url)) return { url };
  const target = new URL(url);
  if (!isLocalHost(target.hostname)) {
    throw new Error(
      `No PostgreSQL answers at DATABASE_URL (host ${target.hostname}); start it or point DATABASE_URL elsewhere`,
    );
  }
  const port = Number(target.port || 5432);
  say(
    `No PostgreSQL answers on port ${port}: starting an embedded one (data in ${join(stateDir, 'postgres')})`,
  );
  const user = decodeURIComponent(target.username) || 'postgres';
  const password = decodeURIComponent(target.password) || 'jarvis-local';
  const settings = { databaseDir: join(stateDir, 'postgres'), port, user, password };
  const child = fork(
    join(REPO_ROOT, 'dist', 'tools', 'launcher', 'embedded-postgres.js'),
    [JSON.stringify(settings)],
    {
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const outcome = await new Promise<{ ready?: boolean; error?: string }>((resolve) => {
    const timer = setTimeout(
      () => resolve({ error: 'it did not start in time' }),
      START_TIMEOUT_MS,
    );
    child.once('message', (message: { ready?: boolean; error?: string }) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => resolve({ error: `it exited with code ${String(code)}` }));
  });
  if (!outcome.ready) {
    await stopChild(child);
    throw new Error(`The embedded PostgreSQL failed: ${outcome.error ?? 'unknown error'}`);
  }
  child.disconnect();
  target.username = encodeURIComponent(user);
  target.password = encodeURIComponent(password);
  return { url: target.toString(), stop: () => stopChild(child) };
}
