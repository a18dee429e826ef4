import { DataSource, MigrationExecutor } from 'typeorm';

/**
 * Creates the app's schema and runs its pending migrations under an advisory lock,
 * so that instances starting together migrate once.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`jarvis:migrate:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    // The migrations run on the connection that holds the lock: a pool of one must not deadlock.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`jarvis:migrate:${schema}`]);
    await runner.release();
  }
}

/** Quotes a PostgreSQL identifier; only simple names are accepted, never user input. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a simple identifier: ${name}`);
  return `"${name}"`;
}
