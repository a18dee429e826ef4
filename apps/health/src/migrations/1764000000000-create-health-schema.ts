import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHealthSchema1764000000000 implements MigrationInterface {
  name = 'CreateHealthSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS "health"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS "health" RESTRICT');
  }
}
