import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The AI usage ledger: one row per call attempt, keyed by its call id so that a redelivered
 * record is stored once. Costs are exact decimals (numeric), never floats.
 */
export class CreateAiUsage1764600000000 implements MigrationInterface {
  name = 'CreateAiUsage1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "history"."ai_usage" (
        "id" uuid NOT NULL,
        "provider" varchar(32) NOT NULL,
        "model" varchar(128) NOT NULL,
        "prompt_tokens" integer NOT NULL,
        "completion_tokens" integer NOT NULL,
        "cost_usd" numeric(30, 12) NOT NULL,
        "latency_ms" integer NOT NULL,
        "success" boolean NOT NULL,
        "error" text,
        "domain" varchar(64) NOT NULL,
        "action" varchar(64) NOT NULL,
        "policy" varchar(16) NOT NULL,
        "task_id" varchar(64),
        "correlation_id" varchar(128),
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_ai_usage" PRIMARY KEY ("id")
      )`);
    // Every usage query is a time range, grouped or not.
    await queryRunner.query(
      'CREATE INDEX "idx_ai_usage_created_at" ON "history"."ai_usage" ("created_at")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "history"."ai_usage"');
  }
}
