import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppDatabaseSettings, buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './migration-runner';

/** The app's data source, migrated before the app takes any traffic. */
@Module({})
export class DatabaseModule {
  static forApp(settings: AppDatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => buildDataSourceOptions(settings),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            const dataSource = new DataSource(options ?? buildDataSourceOptions(settings));
            await dataSource.initialize();
            await runMigrations(dataSource, settings.schema);
            return dataSource;
          },
        }),
      ],
    };
  }
}
