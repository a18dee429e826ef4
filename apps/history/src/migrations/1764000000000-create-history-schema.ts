import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHistorySchema1764000000000 implements MigrationInterface {
  name = 'CreateHistorySchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS "history"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS "history" RESTRICT');
  }
}
