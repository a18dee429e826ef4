import { CircuitBreakerModule } from '@jarvis/circuit-breaker';
import { AppDefinition } from '@jarvis/runtime';
import { AgentsModule } from './agents/agents.module';
import { checkAiConfig } from './ai/check-ai-config';
import { BuiltInAgentsModule } from './built-in-agents/built-in-agents.module';
import { ExecutionModule } from './execution/execution.module';
import { orchestratorDatabase } from './orchestrator-database';
import { TasksModule } from './tasks/tasks.module';

export const orchestratorApp: AppDefinition = {
  name: 'orchestrator',
  database: orchestratorDatabase,
  features: (config) => [
    CircuitBreakerModule.forApp({ app: 'orchestrator', defaults: config.circuitBreaker }),
    ExecutionModule,
    AgentsModule,
    TasksModule,
    BuiltInAgentsModule,
  ],
  port: (config) => config.ports.orchestrator,
  checkConfig: checkAiConfig,
};
