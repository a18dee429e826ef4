import { DataSource, Repository } from 'typeorm';
import { BreakerSnapshot } from '../breaker-snapshot';
import { CircuitBreakerStateEntity, CircuitBreakerStateRow } from './circuit-breaker-state.entity';

const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads and writes the app's `circuit_breaker_state` rows. A breaker is first registered
 * at version 0 (CLOSED, never changed); each transition after that is a compare-and-set
 * on `version`: it succeeds only over the version the writer last saw, so of two
 * instances changing one breaker at once exactly one wins and the other learns of it.
 */
export class BreakerStateStore {
  private readonly rows: Repository<CircuitBreakerStateRow>;
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(CircuitBreakerStateEntity);
    const schema = this.rows.metadata.schema ?? 'public';
    if (!SIMPLE_IDENTIFIER.test(schema)) throw new Error(`Not a simple schema name: ${schema}`);
    this.table = `"${schema}"."circuit_breaker_state"`;
  }

  async loadAll(): Promise<BreakerSnapshot[]> {
    const rows = await this.rows.find();
    return rows.map(toSnapshot);
  }

  async find(name: string): Promise<BreakerSnapshot | null> {
    const row = await this.rows.findOneBy({ name });
    return row ? toSnapshot(row) : null;
  }

  /** Makes the breaker known to every instance; does nothing when it already has a row. */
  async register(name: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.table} ("name", "state", "version") VALUES ($1, 'CLOSED', 0)
       ON CONFLICT ("name") DO NOTHING`,
      [name],
    );
  }

  /**
   * Writes `snapshot` over `expectedVersion` (0: a row that is missing or only registered).
   * Returns the new version, or null when another writer got there first.
   */
  async compareAndSet(snapshot: BreakerSnapshot, expectedVersion: number): Promise<number | null> {
    const values = [
      snapshot.name,
      snapshot.state,
      snapshot.failureCount,
      snapshot.successCount,
      toDate(snapshot.openedAt),
      toDate(snapshot.nextAttemptAt),
      toDate(snapshot.lastFailureAt),
      snapshot.lastError,
    ];
    const assignments = `"state" = $2, "failure_count" = $3, "success_count" = $4,
      "opened_at" = $5, "next_attempt_at" = $6, "last_failure_at" = $7, "last_error" = $8,
      "updated_at" = now()`;
    const rows = (await (expectedVersion === 0
      ? this.dataSource.query(
          `INSERT INTO ${this.table} AS t ("name", "state", "failure_count", "success_count",
             "opened_at", "next_attempt_at", "last_failure_at", "last_error", "version")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
           ON CONFLICT ("name") DO UPDATE SET ${assignments}, "version" = 1
           WHERE t."version" = 0
           RETURNING "version"`,
          values,
        )
      : this.dataSource.query(
          `UPDATE ${this.table} SET ${assignments}, "version" = "version" + 1
           WHERE "name" = $1 AND "version" = $9
           RETURNING "version"`,
          [...values, expectedVersion],
        ))) as unknown;
    return firstVersion(rows);
  }
}

/** `query` answers an UPDATE with `[rows, count]` and an INSERT with `rows`. */
function firstVersion(result: unknown): number | null {
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as
    { version?: number }[] | undefined;
  const version = rows?.[0]?.version;
  return typeof version === 'number' ? version : null;
}

function toSnapshot(row: CircuitBreakerStateRow): BreakerSnapshot {
  return {
    name: row.name,
    state: row.state,
    failureCount: row.failureCount,
    successCount: row.successCount,
    openedAt: row.openedAt?.getTime() ?? null,
    nextAttemptAt: row.nextAttemptAt?.getTime() ?? null,
    lastFailureAt: row.lastFailureAt?.getTime() ?? null,
    lastError: row.lastError,
    version: row.version,
  };
}

function toDate(epochMs: number | null): Date | null {
  return epochMs === null ? null : new Date(epochMs);
}
