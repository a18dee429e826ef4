import { AppDefinition } from '@jarvis/runtime';
import { historyMigrations } from './migrations';

export const historyApp: AppDefinition = {
  name: 'history',
  database: { schema: 'history', entities: [], migrations: historyMigrations },
  features: () => [],
  port: (config) => config.ports.history,
};
