import { CircuitBreakerModule, CircuitBreakerStateEntity } from '@jarvis/circuit-breaker';
import { AppDefinition } from '@jarvis/runtime';
import { HealthChecksModule } from './checks/health-checks.module';
import { HealthMetricEntity } from './checks/health-metric.entity';
import { healthMigrations } from './migrations';

export const healthApp: AppDefinition = {
  name: 'health',
  database: {
    schema: 'health',
    entities: [HealthMetricEntity, CircuitBreakerStateEntity],
    migrations: healthMigrations,
  },
  features: (config) => [
    CircuitBreakerModule.forApp({ app: 'health', defaults: config.circuitBreaker }),
    HealthChecksModule,
  ],
  port: (config) => config.ports.health,
};
