export * from './data-source-options';
export * from './database.module';
export * from './ensure-database';
export * from './migrated-data-source';
export * from './migration-runner';
