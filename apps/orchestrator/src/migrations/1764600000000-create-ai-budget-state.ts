import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AI budget state shared by every orchestrator instance: the spend of each budget period
 * (one row per period start, so past periods stay readable), and the alerts sent — its
 * primary key is the once-guard that lets one instance, and only one, send each alert.
 */
export class CreateAiBudgetState1764600000000 implements MigrationInterface {
  name = 'CreateAiBudgetState1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."ai_budget_spend" (
        "period" varchar(16) NOT NULL,
        "period_start" timestamptz NOT NULL,
        "spent_usd" numeric(30, 12) NOT NULL DEFAULT 0,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_ai_budget_spend" PRIMARY KEY ("period", "period_start"),
        CONSTRAINT "chk_ai_budget_spend_period" CHECK ("period" IN ('daily', 'weekly', 'monthly'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "orchestrator"."ai_budget_alert" (
        "period" varchar(16) NOT NULL,
        "period_start" timestamptz NOT NULL,
        "threshold" smallint NOT NULL,
        "limit_usd" numeric(30, 12) NOT NULL,
        "spent_usd" numeric(30, 12) NOT NULL,
        "instance" varchar(128) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_ai_budget_alert" PRIMARY KEY ("period", "period_start", "threshold"),
        CONSTRAINT "chk_ai_budget_alert_threshold" CHECK ("threshold" IN (80, 100))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "orchestrator"."ai_budget_alert"');
    await queryRunner.query('DROP TABLE "orchestrator"."ai_budget_spend"');
  }
}
