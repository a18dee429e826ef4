import { AppDefinition } from '@jarvis/runtime';
import { healthMigrations } from './migrations';

export const healthApp: AppDefinition = {
  name: 'health',
  database: { schema: 'health', entities: [], migrations: healthMigrations },
  features: () => [],
  port: (config) => config.ports.health,
};
