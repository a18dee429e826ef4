import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1764000000000 implements MigrationInterface {
  name = 'CreateApiKeys1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS "gateway"');
    await queryRunner.query(`
      CREATE TABLE "gateway"."api_keys" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "key_hash" char(64) NOT NULL,
        "role" varchar(10) NOT NULL CHECK ("role" IN ('read', 'write', 'admin')),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_api_keys_name" ON "gateway"."api_keys" ("name")',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_api_keys_key_hash" ON "gateway"."api_keys" ("key_hash")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "gateway"."api_keys"');
  }
}
