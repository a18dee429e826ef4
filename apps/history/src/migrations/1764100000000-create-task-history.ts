import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Execution records and task feedback.
 *
 * The two window indexes carry every column the stats and timeline queries read
 * (INCLUDE), so those queries are index-only scans over the window's range:
 * - `ix_task_history_domain_action_created_at`: stats and timeline filtered by domain
 *   (and action), the orchestrator's learning query;
 * - `ix_task_history_created_at`: the same queries without a domain, recent executions,
 *   and the retention job's `created_at < cutoff` batches.
 * `task_key` is the id feedback is given on: the task id, or the execution id when the
 * execution ran without a task.
 *
 * Feedback is filed under the domain and action of the task's latest execution, so the
 * stats read the window's feedback from its own small index instead of probing it once
 * per execution: `ix_task_feedback_domain_action_created_at` and `ix_task_feedback_created_at`
 * (also the retention job's).
 */
export class CreateTaskHistory1764100000000 implements MigrationInterface {
  name = 'CreateTaskHistory1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "history"."task_history" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "execution_id" varchar(128) NOT NULL,
        "task_id" varchar(128),
        "task_key" varchar(128) GENERATED ALWAYS AS (COALESCE("task_id", "execution_id")) STORED,
        "domain" varchar(64) NOT NULL,
        "action" varchar(128) NOT NULL,
        "phase" varchar(16) NOT NULL,
        "success" boolean NOT NULL,
        "error" text,
        "duration_ms" integer NOT NULL CHECK ("duration_ms" >= 0),
        "impact_score" double precision CHECK ("impact_score" BETWEEN 0 AND 1),
        "resources_used" jsonb NOT NULL DEFAULT '{}',
        "parameters" jsonb NOT NULL DEFAULT '{}',
        "parameters_hash" bigint NOT NULL,
        "logs" jsonb NOT NULL DEFAULT '[]',
        "correlation_id" varchar(128),
        "created_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_task_history_execution_id" ON "history"."task_history" ("execution_id")',
    );
    await queryRunner.query(`
      CREATE INDEX "ix_task_history_domain_action_created_at"
        ON "history"."task_history" ("domain", "action", "created_at")
        INCLUDE ("success", "duration_ms", "impact_score", "parameters_hash", "task_key")`);
    await queryRunner.query(`
      CREATE INDEX "ix_task_history_created_at"
        ON "history"."task_history" ("created_at")
        INCLUDE ("success", "duration_ms", "impact_score", "parameters_hash", "task_key")`);
    await queryRunner.query(
      'CREATE INDEX "ix_task_history_task_key" ON "history"."task_history" ("task_key")',
    );

    await queryRunner.query(`
      CREATE TABLE "history"."task_feedback" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "task_id" varchar(128) NOT NULL,
        "domain" varchar(64) NOT NULL,
        "action" varchar(128) NOT NULL,
        "feedback" varchar(16) NOT NULL CHECK ("feedback" IN ('positive', 'negative', 'neutral')),
        "comment" text,
        "created_at" timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE INDEX "ix_task_feedback_domain_action_created_at"
        ON "history"."task_feedback" ("domain", "action", "created_at")
        INCLUDE ("task_id", "feedback", "id")`);
    await queryRunner.query(`
      CREATE INDEX "ix_task_feedback_created_at"
        ON "history"."task_feedback" ("created_at")
        INCLUDE ("task_id", "feedback", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "history"."task_feedback"');
    await queryRunner.query('DROP TABLE "history"."task_history"');
  }
}
