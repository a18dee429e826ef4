import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface AppDatabaseSettings {
  url: string;
  /** The app's own PostgreSQL schema; no app reads another's. */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  poolSize?: number;
  /**
   * The planner's cost of a random page read for this app's sessions. 1.1 (data on SSD or
   * in cache) keeps batches of primary-key lookups on the index even while a table is
   * small or has no statistics yet; PostgreSQL's default of 4 assumes spinning disks.
   */
  randomPageCost?: number;
}

/** What an app declares of its database: the rest comes from configuration. */
export type AppSchemaSettings = Pick<
  AppDatabaseSettings,
  'schema' | 'entities' | 'migrations' | 'randomPageCost'
>;

/** TypeORM options for one app: its schema, its migrations, never `synchronize`. */
export function buildDataSourceOptions(settings: AppDatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: settings.applicationName,
    extra: {
      max: settings.poolSize ?? 10,
      ...(settings.randomPageCost === undefined
        ? {}
        : { options: `-c random_page_cost=${settings.randomPageCost}` }),
    },
  };
}
