import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './migration-runner';

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "widgets"."widget" (id int PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "widgets"."widget"');
  }
}

describe(runMigrations.name, () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  const open = async () => {
    const dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        schema: 'widgets',
        entities: [],
        migrations: [CreateWidgets1700000000000],
        applicationName: 'migration-test',
        poolSize: 1,
      }),
    );
    dataSources.push(await dataSource.initialize());
    return dataSource;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database.drop();
  });

  it('creates the schema, applies each migration once, even when instances start together', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const applied = await Promise.all([
      runMigrations(first, 'widgets'),
      runMigrations(second, 'widgets'),
    ]);
    expect(applied.flat()).toEqual(['CreateWidgets1700000000000']);

    const rows = await first.query('SELECT name FROM "widgets"."migrations"');
    expect(rows).toEqual([{ name: 'CreateWidgets1700000000000' }]);
    await expect(runMigrations(first, 'widgets')).resolves.toEqual([]);
  });
});
