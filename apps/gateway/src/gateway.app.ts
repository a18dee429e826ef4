import { AppDefinition } from '@jarvis/runtime';
import { ApiKeyEntity } from './auth/api-key.entity';
import { AuthModule } from './auth/auth.module';
import { ExecuteModule } from './execute/execute.module';
import { configureHttp } from './http/configure-http';
import { gatewayMigrations } from './migrations';
import { SuiteHealthModule } from './suite-health/suite-health.module';

/** The longest diagnostics wait is 60 s; `execute` waits a little longer than that. */
const EXECUTE_TIMEOUT_FLOOR_MS = 65_000;

export const gatewayApp: AppDefinition = {
  name: 'gateway',
  database: { schema: 'gateway', entities: [ApiKeyEntity], migrations: gatewayMigrations },
  features: (config) => [
    AuthModule,
    SuiteHealthModule,
    ExecuteModule.forRoot({
      executeTimeoutMs: Math.max(config.nats.requestTimeoutMs, EXECUTE_TIMEOUT_FLOOR_MS),
    }),
  ],
  port: (config) => config.ports.gateway,
  configureHttp,
};
