import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHealthMetrics1764300001000 implements MigrationInterface {
  name = 'CreateHealthMetrics1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "health"."health_metrics" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "target" varchar(100) NOT NULL,
        "status" varchar(10) NOT NULL CHECK ("status" IN ('up', 'degraded', 'down')),
        "latency_ms" integer NOT NULL CHECK ("latency_ms" >= 0),
        "error" text,
        "checked_at" timestamptz NOT NULL
      )`);
    // The latest check per target, and a target's series in time order.
    await queryRunner.query(
      'CREATE INDEX "ix_health_metrics_target_checked_at" ON "health"."health_metrics" ("target", "checked_at" DESC)',
    );
    // Retention and time-window scans across targets.
    await queryRunner.query(
      'CREATE INDEX "ix_health_metrics_checked_at" ON "health"."health_metrics" ("checked_at")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "health"."health_metrics"');
  }
}
