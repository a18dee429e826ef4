import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrchestratorSchema1764000000000 implements MigrationInterface {
  name = 'CreateOrchestratorSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS "orchestrator"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS "orchestrator" RESTRICT');
  }
}
