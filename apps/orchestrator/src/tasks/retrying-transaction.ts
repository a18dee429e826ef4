import { DataSource, EntityManager } from 'typeorm';

const DEADLOCK = '40P01';
const SERIALIZATION_FAILURE = '40001';
const MAX_TRIES = 5;

/**
 * Runs `work` in a transaction, again from the start when PostgreSQL broke a deadlock
 * or a serialization conflict by aborting it (batched statements may lock rows that
 * another batch holds).
 */
export async function retryingTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code =
        (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
        (error as { code?: unknown }).code;
      if (tries >= MAX_TRIES || (code !== DEADLOCK && code !== SERIALIZATION_FAILURE)) throw error;
    }
  }
}
