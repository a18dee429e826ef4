import { MigrationInterface, QueryRunner } from 'typeorm';

const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The migration that creates `<schema>.circuit_breaker_state`, for an app to register
 * under its own timestamp. Frozen once landed, like any migration: a later change to
 * the table is a new factory, never an edit of this one.
 */
export function createCircuitBreakerStateTableV1(
  schema: string,
  timestamp: number,
): new () => MigrationInterface {
  if (!SIMPLE_IDENTIFIER.test(schema)) throw new Error(`Not a simple schema name: ${schema}`);
  const table = `"${schema}"."circuit_breaker_state"`;
  const name = `CreateCircuitBreakerState${timestamp}`;
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await queryRunner.query(`
        CREATE TABLE ${table} (
          "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          "name" varchar(100) NOT NULL,
          "state" varchar(10) NOT NULL CHECK ("state" IN ('CLOSED', 'OPEN', 'HALF_OPEN')),
          "failure_count" integer NOT NULL DEFAULT 0 CHECK ("failure_count" >= 0),
          "success_count" integer NOT NULL DEFAULT 0 CHECK ("success_count" >= 0),
          "opened_at" timestamptz,
          "next_attempt_at" timestamptz,
          "last_failure_at" timestamptz,
          "last_error" varchar(500),
          "updated_at" timestamptz NOT NULL DEFAULT now(),
          "version" integer NOT NULL CHECK ("version" >= 0)
        )`);
      await queryRunner.query(
        `CREATE UNIQUE INDEX "uq_circuit_breaker_state_name" ON ${table} ("name")`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}
