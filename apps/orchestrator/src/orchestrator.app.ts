import { AppDefinition } from '@jarvis/runtime';
import { ExecutionModule } from './execution/execution.module';
import { orchestratorMigrations } from './migrations';

export const orchestratorApp: AppDefinition = {
  name: 'orchestrator',
  database: { schema: 'orchestrator', entities: [], migrations: orchestratorMigrations },
  features: () => [ExecutionModule],
  port: (config) => config.ports.orchestrator,
};
