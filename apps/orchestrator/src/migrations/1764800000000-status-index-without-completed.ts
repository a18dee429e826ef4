import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Completed tasks, nearly all of them, leave the status index. Completing a task then writes
 * one index entry fewer, and the index stays the size of what is not completed. Paging
 * completed tasks reads `IDX_tasks_created` (they are most rows); every other status, and
 * the reconciler's walk of queued and running tasks, reads this index.
 */
export class StatusIndexWithoutCompleted1764800000000 implements MigrationInterface {
  name = 'StatusIndexWithoutCompleted1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_tasks_status_created_not_completed" ON "orchestrator"."tasks"
       ("status", "created_at" DESC, "id" DESC) WHERE "status" <> 'completed'`,
    );
    await queryRunner.query('DROP INDEX "orchestrator"."IDX_tasks_status_created"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_tasks_status_created" ON "orchestrator"."tasks"
       ("status", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query('DROP INDEX "orchestrator"."IDX_tasks_status_created_not_completed"');
  }
}
