import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task's queue message is built from its row: the outbox keeps no copy of it (dead letters
 * keep theirs), so a new task writes its params once.
 */
export class OutboxTaskPayloadFromTask1764700000000 implements MigrationInterface {
  name = 'OutboxTaskPayloadFromTask1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "orchestrator"."task_outbox" ALTER COLUMN "payload" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "orchestrator"."task_outbox" ADD CONSTRAINT "CHK_task_outbox_payload"
       CHECK ("payload" IS NOT NULL OR ("kind" = 'task' AND "task_id" IS NOT NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "orchestrator"."task_outbox" DROP CONSTRAINT "CHK_task_outbox_payload"`,
    );
    await queryRunner.query(
      `UPDATE "orchestrator"."task_outbox" o SET "payload" = json_build_object('taskId', t.id,
         'dispatch', o.dispatch, 'domain', t.domain, 'action', t.action, 'params', t.params,
         'priority', t.priority, 'correlationId', t.correlation_id)::text
       FROM "orchestrator"."tasks" t WHERE o.payload IS NULL AND t.id = o.task_id`,
    );
    await queryRunner.query(`DELETE FROM "orchestrator"."task_outbox" WHERE "payload" IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "orchestrator"."task_outbox" ALTER COLUMN "payload" SET NOT NULL`,
    );
  }
}
