import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks, their decisions, the queue outbox and the agent registry. */
export class CreateTasks1764500000000 implements MigrationInterface {
  name = 'CreateTasks1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."tasks" (
        "id" uuid PRIMARY KEY,
        "domain" varchar(64) NOT NULL,
        "action" varchar(64) NOT NULL,
        "title" varchar(200),
        "params" jsonb NOT NULL DEFAULT '{}',
        "priority" varchar(8) NOT NULL,
        "status" varchar(16) NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "max_attempts" integer NOT NULL,
        "dispatch" integer NOT NULL DEFAULT 1,
        "stream_seq" bigint,
        "agent" varchar(200),
        "result" jsonb,
        "error" text,
        "progress" jsonb,
        "idempotency_key" varchar(200),
        "correlation_id" varchar(128),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "queued_at" timestamptz,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        CONSTRAINT "CHK_tasks_priority" CHECK ("priority" IN ('high', 'normal', 'low')),
        CONSTRAINT "CHK_tasks_status" CHECK ("status" IN
          ('pending', 'deferred', 'queued', 'running', 'completed', 'failed', 'cancelled', 'dead'))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_tasks_idempotency_key" ON "orchestrator"."tasks" ("idempotency_key")
       WHERE "idempotency_key" IS NOT NULL`,
    );
    // Paging newest first, all tasks or one status; the reconciler walks the unfinished ones.
    await queryRunner.query(
      `CREATE INDEX "IDX_tasks_created" ON "orchestrator"."tasks" ("created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_tasks_status_created" ON "orchestrator"."tasks" ("status", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."task_decisions" (
        "id" uuid PRIMARY KEY,
        "task_id" uuid NOT NULL REFERENCES "orchestrator"."tasks" ("id") ON DELETE CASCADE,
        "decision" varchar(16) NOT NULL,
        "reasoning" text NOT NULL,
        "confidence" double precision NOT NULL,
        "history_available" boolean NOT NULL,
        "success_rate" double precision,
        "total_executions" integer,
        "applied_parameters" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_task_decisions_decision" CHECK ("decision" IN ('proceed', 'defer'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_task_decisions_task" ON "orchestrator"."task_decisions" ("task_id", "created_at" DESC)`,
    );
    // Messages committed with the state change that needs them, published by the relay.
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."task_outbox" (
        "id" bigserial PRIMARY KEY,
        "kind" varchar(16) NOT NULL,
        "subject" varchar(255) NOT NULL,
        "msg_id" varchar(200) NOT NULL,
        "payload" text NOT NULL,
        "correlation_id" varchar(128),
        "task_id" uuid,
        "dispatch" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_task_outbox_kind" CHECK ("kind" IN ('task', 'dead-letter'))
      )`);
    // A queued task whose message is still here is shown as pending.
    await queryRunner.query(
      `CREATE INDEX "IDX_task_outbox_task" ON "orchestrator"."task_outbox" ("task_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."agents" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "domain" varchar(64) NOT NULL,
        "instance" varchar(200) NOT NULL,
        "actions" jsonb NOT NULL DEFAULT '[]',
        "concurrency" integer NOT NULL,
        "tasks_in_flight" integer NOT NULL,
        "state" varchar(16) NOT NULL,
        "started_at" timestamptz NOT NULL,
        "last_heartbeat_at" timestamptz NOT NULL,
        CONSTRAINT "UQ_agents_domain_instance" UNIQUE ("domain", "instance")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "orchestrator"."agents"');
    await queryRunner.query('DROP TABLE "orchestrator"."task_outbox"');
    await queryRunner.query('DROP TABLE "orchestrator"."task_decisions"');
    await queryRunner.query('DROP TABLE "orchestrator"."tasks"');
  }
}
