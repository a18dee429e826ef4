import { DataSource } from 'typeorm';
import { AppDatabaseSettings, buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './migration-runner';

/** Opens a data source on one app's schema with that schema's migrations applied. */
export async function openMigratedDataSource(settings: AppDatabaseSettings): Promise<DataSource> {
  const dataSource = await new DataSource(buildDataSourceOptions(settings)).initialize();
  try {
    await runMigrations(dataSource, settings.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
